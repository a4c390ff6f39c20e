"""guest_kernel(): link a freestanding x86-64 guest kernel ELF (see build_guest.sh)."""

def guest_kernel(name, srcs, linker_script = "//guests/arch/x86:kernel.lds.S", **kwargs):
    """Builds <name>.elf from C and assembly sources; headers in srcs are only made visible."""
    native.genrule(
        name = name,
        srcs = srcs + [linker_script],
        outs = [name + ".elf"],
        cmd = "$(location //guests:build_guest.sh) $@ $(location %s) $(SRCS)" % linker_script,
        tools = ["//guests:build_guest.sh"],
        **kwargs
    )
