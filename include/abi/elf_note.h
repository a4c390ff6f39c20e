/* SPDX-License-Identifier: MIT */
/*
 * include/abi/elf_note.h - the ELF notes through which a guest image asks gmm for things.
 *
 * A note lives in a PT_NOTE segment of the kernel ELF, in the standard layout (Elf64_Nhdr:
 * namesz, descsz, type, then the name and the descriptor, each padded to 4 bytes). gmm's notes
 * are named "GMM" (namesz 4, the NUL counted); notes with other names (the PVH note "Xen", say)
 * are not gmm's business and are skipped. The loader (vmm/loader.c) checks every note header
 * against the segment and the file; a malformed note, an unknown GMM note type or a GMM note
 * with the wrong descriptor size makes the image invalid (gmm exits GMM_EXIT_BAD_IMAGE).
 *
 * GMM_ELFNOTE_PAGE_STATE, descriptor: one uint32_t, the include/abi/page_state.h version the
 * guest adopts (PAGE_STATE_VERSION). Only a guest that carries it gets a page state: gmm then
 * initialises the buddy page state over guest RAM and passes it in bootinfo.page_state_phys.
 * Without the note gmm writes nothing into guest RAM beyond the image, the boot page tables,
 * the GDT, the boot stacks and the boot info, and bootinfo.page_state_phys is 0: the guest
 * owns the rest of its RAM (and a VMM reading the buddy state has nothing to read). A version
 * this gmm does not build is refused as a bad image, with both versions named.
 *
 * Usable from assembly: only macros.
 */
#ifndef GMM_ABI_ELF_NOTE_H
#define GMM_ABI_ELF_NOTE_H

#define GMM_ELFNOTE_NAME       "GMM"
#define GMM_ELFNOTE_NAMESZ     4 /* "GMM" and its NUL */
#define GMM_ELFNOTE_PAGE_STATE 1 /* desc: uint32_t page-state version */

#endif /* GMM_ABI_ELF_NOTE_H */
