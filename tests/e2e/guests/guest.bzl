"""guest_image: a tiny freestanding x86-64 guest ELF from one assembly file."""

def guest_image(name, src, ld = "guest.ld", defines = []):
    """Builds <name>.elf from src with guest.h and a linker script (gcc, no libc, static).

    Args:
      name: the target; the output is <name>.elf
      src: the assembly file
      ld: the linker script: guest.ld (identity, at 1 MiB) or guest_kmap.ld (kernel map)
      defines: preprocessor symbols for the assembly file (NAME or NAME=VALUE)
    """
    native.genrule(
        name = name,
        srcs = [src, "guest.h", ld],
        outs = [name + ".elf"],
        cmd = ("gcc -nostdlib -static -ffreestanding -no-pie -Wl,--build-id=none " +
               "-Wl,--no-warn-rwx-segments -Wl,-n -Wl,-T,$(location " + ld + ") " +
               "-I$$(dirname $(location guest.h)) " +
               "".join(["-D" + d + " " for d in defines]) +
               "-o $@ $(location " + src + ")"),
        visibility = ["//visibility:public"],
    )
