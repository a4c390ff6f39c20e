"""guest_image: a tiny freestanding x86-64 guest ELF from one assembly file."""

def guest_image(name, src):
    """Builds <name>.elf from src with guest.h and guest.ld (gcc, no libc, static, at 1 MiB)."""
    native.genrule(
        name = name,
        srcs = [src, "guest.h", "guest.ld"],
        outs = [name + ".elf"],
        cmd = ("gcc -nostdlib -static -ffreestanding -no-pie -Wl,--build-id=none " +
               "-Wl,--no-warn-rwx-segments -Wl,-n -Wl,-T,$(location guest.ld) -I$$(dirname $(location guest.h)) " +
               "-o $@ $(location " + src + ")"),
        visibility = ["//visibility:public"],
    )
