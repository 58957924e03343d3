/*
** objfile.c
** Reading a module's object file once, and validating it with libelf so
** that libtcc, whose loader trusts its input and exits on some errors, only
** ever sees objects it can handle.
*/
#include "objfile.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ============================================================ reading */

int objfile_read(const char *path, ObjFile *o, Buf *why)
{
    memset(o, 0, sizeof *o); /* objfile_free is safe after a failure too */
    /* O_NONBLOCK: opening a FIFO must not wait for a writer */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        buf_printf(why, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        buf_printf(why, "%s is not a regular file", path);
        goto fail;
    }
    if (st.st_size > OBJFILE_MAX_BYTES) {
        buf_printf(why, "%s is larger than %d bytes", path, OBJFILE_MAX_BYTES);
        goto fail;
    }
    size_t cap = (size_t)st.st_size + 1, len = 0;
    unsigned char *data = xmalloc(cap);
    for (;;) {
        if (len == cap) {
            if (cap > OBJFILE_MAX_BYTES) {
                free(data);
                buf_printf(why, "%s is larger than %d bytes", path, OBJFILE_MAX_BYTES);
                goto fail;
            }
            data = xrealloc(data, cap *= 2);
        }
        ssize_t n = read(fd, data + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            free(data);
            buf_printf(why, "cannot read %s: %s", path, strerror(errno));
            goto fail;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    o->data = data;
    o->len = len;
    return 0;
fail:
    close(fd);
    return -1;
}

void objfile_from_bytes(ObjFile *o, const void *data, size_t len)
{
    memset(o, 0, sizeof *o);
    o->data = xmalloc(len ? len : 1);
    if (len)
        memcpy(o->data, data, len);
    o->len = len;
}

void objfile_free(ObjFile *o)
{
    free(o->data);
    memset(o, 0, sizeof *o);
}

/* ========================================================= validating */

static bool fits(uint64_t off, uint64_t size, uint64_t len)
{
    return off <= len && size <= len - off;
}

static bool pow2(uint64_t a)
{
    return (a & (a - 1)) == 0;
}

/* Sections libtcc merges into the image, by name: what a C compiler puts
** code and data in. Anything else that is loaded (.got, .plt, .dynsym, .stab,
** ...) would be merged into libtcc's own tables. */
static bool loadable_name(const char *name)
{
    static const char *const prefixes[] = {".text", ".data", ".rodata", ".bss"};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(name, prefixes[i], n) == 0 && (name[n] == '\0' || name[n] == '.'))
            return true;
    }
    return false;
}

static bool loaded_type(unsigned type)
{
    return type == SHT_PROGBITS || type == SHT_NOBITS;
}

/* Bytes a relocation of 'type' patches, or 0 for a kind libtcc should not
** be handed (it exits on some, and tcc never emits the others). */
static unsigned reloc_width(unsigned type)
{
    switch (type) {
    case R_X86_64_64:
    case R_X86_64_PC64:
        return 8;
    case R_X86_64_PC32:
    case R_X86_64_PLT32:
    case R_X86_64_32:
    case R_X86_64_32S:
    case R_X86_64_GOTPCREL:
    case R_X86_64_GOTPCRELX:
    case R_X86_64_REX_GOTPCRELX:
        return 4;
    default:
        return 0;
    }
}

/* The string at 'off' of the string table (size bytes, checked to end in
** NUL), or NULL. */
static const char *str_at(const char *tab, size_t size, uint64_t off)
{
    return off < size ? tab + off : NULL;
}

static bool strtab_ok(const unsigned char *data, const GElf_Shdr *sh)
{
    return sh->sh_type == SHT_STRTAB && sh->sh_size > 0 && data[sh->sh_offset + sh->sh_size - 1] == '\0';
}

void objfile_sym(const ObjFile *o, size_t i, ObjSym *out)
{
    Elf64_Sym s;
    memcpy(&s, o->syms + i * sizeof s, sizeof s);
    out->name = o->strs + s.st_name;
    out->bind = (unsigned char)ELF64_ST_BIND(s.st_info);
    out->type = (unsigned char)ELF64_ST_TYPE(s.st_info);
    out->shndx = s.st_shndx;
    out->value = s.st_value;
    out->size = s.st_size;
}

bool objfile_find(const ObjFile *o, const char *name, ObjSym *out)
{
    for (size_t i = 1; i < o->nsyms; i++) {
        objfile_sym(o, i, out);
        if (strcmp(out->name, name) == 0)
            return true;
    }
    return false;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* libtcc merges a name's entries (binding, visibility, definition): one
** entry per global name, as a compiler writes them, keeps that simple. */
static int unique_globals(const ObjFile *o, Buf *why)
{
    const char **names = xmalloc(o->nsyms * sizeof *names);
    size_t n = 0;
    for (size_t i = 1; i < o->nsyms; i++) {
        ObjSym s;
        objfile_sym(o, i, &s);
        if (s.bind != STB_LOCAL)
            names[n++] = s.name;
    }
    qsort(names, n, sizeof *names, by_name);
    int rc = 0;
    for (size_t i = 1; i < n && rc == 0; i++)
        if (strcmp(names[i - 1], names[i]) == 0) {
            buf_printf(why, "symbol %s: more than one global entry", names[i]);
            rc = -1;
        }
    free(names);
    return rc;
}

static int check_symbols(ObjFile *o, const GElf_Shdr *sh, size_t shnum, size_t symndx, Buf *why)
{
    uint64_t common = 0;
    for (size_t i = 1; i < o->nsyms; i++) {
        Elf64_Sym s;
        memcpy(&s, o->syms + i * sizeof s, sizeof s);
        unsigned bind = ELF64_ST_BIND(s.st_info), type = ELF64_ST_TYPE(s.st_info);
        const char *name = str_at(o->strs, o->strsize, s.st_name);
        if (!name) {
            buf_printf(why, "symbol %zu: name outside the string table", i);
            return -1;
        }
        if (s.st_other & ~3u) {
            buf_printf(why, "symbol %s: unknown st_other %#x", name, s.st_other);
            return -1;
        }
        if (bind != STB_LOCAL && bind != STB_GLOBAL && bind != STB_WEAK) {
            buf_printf(why, "symbol %s: unknown binding %u", name, bind);
            return -1;
        }
        if (type != STT_NOTYPE && type != STT_OBJECT && type != STT_FUNC && type != STT_SECTION &&
            type != STT_FILE) {
            buf_printf(why, "symbol %s: unsupported type %u", name, type);
            return -1;
        }
        unsigned ndx = s.st_shndx;
        if (ndx == SHN_UNDEF) {
            /* an import that is not of default visibility would be reached
            ** by a direct 32-bit displacement, which libtcc cannot fit */
            if (bind == STB_LOCAL || !name[0] || ELF64_ST_VISIBILITY(s.st_other) != STV_DEFAULT) {
                buf_printf(why, "symbol %zu: undefined local, hidden or nameless symbol", i);
                return -1;
            }
        } else if (ndx == SHN_ABS) {
            if (type != STT_FILE) { /* tcc emits none but the file name */
                buf_printf(why, "symbol %s: absolute symbols are not supported", name);
                return -1;
            }
        } else if (ndx == SHN_COMMON) {
            if (s.st_value == 0 || !pow2(s.st_value) || s.st_value > 4096 || s.st_size > OBJFILE_MAX_IMAGE) {
                buf_printf(why, "symbol %s: bad common symbol", name);
                return -1;
            }
            common += s.st_size + s.st_value;
        } else if (ndx >= shnum || ndx == symndx || !loaded_type(sh[ndx].sh_type) ||
                   s.st_value > sh[ndx].sh_size) {
            buf_printf(why, "symbol %s: bad section index %u", name, ndx);
            return -1;
        }
    }
    if (common > OBJFILE_MAX_IMAGE) {
        buf_puts(why, "common symbols too large");
        return -1;
    }
    return unique_globals(o, why);
}

static int check_relocs(const ObjFile *o, Elf_Data *d, const GElf_Shdr *sh, size_t target, Buf *why)
{
    size_t n = sh[target].sh_size;
    size_t count = d->d_size / sizeof(Elf64_Rela);
    for (size_t k = 0; k < count; k++) {
        GElf_Rela r;
        if (!gelf_getrela(d, (int)k, &r)) {
            buf_printf(why, "unreadable relocation %zu", k);
            return -1;
        }
        size_t si = GELF_R_SYM(r.r_info);
        unsigned width = reloc_width(GELF_R_TYPE(r.r_info));
        if (!width) {
            buf_printf(why, "relocation %zu: unsupported type %u", k, (unsigned)GELF_R_TYPE(r.r_info));
            return -1;
        }
        if (si == 0 || si >= o->nsyms) {
            buf_printf(why, "relocation %zu: bad symbol index %zu", k, si);
            return -1;
        }
        Elf64_Sym s;
        memcpy(&s, o->syms + si * sizeof s, sizeof s);
        if (s.st_shndx == SHN_ABS) {
            buf_printf(why, "relocation %zu: refers to an absolute symbol", k);
            return -1;
        }
        /* libtcc exits when a displacement does not fit in 32 bits: keep
        ** every target within the image's reach */
        if (r.r_addend < -(int64_t)OBJFILE_MAX_IMAGE || r.r_addend > (int64_t)OBJFILE_MAX_IMAGE) {
            buf_printf(why, "relocation %zu: addend out of range", k);
            return -1;
        }
        if (!fits(r.r_offset, width, n)) {
            buf_printf(why, "relocation %zu: offset %#lx outside its section", k, (unsigned long)r.r_offset);
            return -1;
        }
    }
    return 0;
}

int objfile_check(ObjFile *o, Buf *why)
{
    if (elf_version(EV_CURRENT) == EV_NONE) { /* idempotent and cheap */
        buf_puts(why, "libelf is unusable");
        return -1;
    }
    o->syms = NULL;
    o->strs = NULL;
    o->nsyms = o->strsize = 0;
    if (o->len < sizeof(Elf64_Ehdr) || memcmp(o->data, ELFMAG, SELFMAG) != 0) {
        buf_puts(why, "not an ELF object file");
        return -1;
    }
    int rc = -1;
    GElf_Shdr *sh = NULL;
    Elf *e = elf_memory((char *)o->data, o->len);
    if (!e || elf_kind(e) != ELF_K_ELF) {
        buf_puts(why, "not an ELF object file");
        goto out;
    }
    /* libtcc reads the raw header fields: check those, not a repaired view */
    Elf64_Ehdr eh;
    memcpy(&eh, o->data, sizeof eh);
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_type != ET_REL ||
        eh.e_machine != EM_X86_64) {
        buf_puts(why, "not an x86-64 ELF64 relocatable object");
        goto out;
    }
    size_t shnum = 0, shstrndx = 0;
    if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum < 2 || eh.e_shnum > OBJFILE_MAX_SECTIONS ||
        !fits(eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr), o->len) || elf_getshdrnum(e, &shnum) != 0 ||
        shnum != eh.e_shnum) {
        buf_puts(why, "section table outside the file");
        goto out;
    }
    if (eh.e_shstrndx == 0 || eh.e_shstrndx >= eh.e_shnum || elf_getshdrstrndx(e, &shstrndx) != 0 ||
        shstrndx != eh.e_shstrndx) {
        buf_puts(why, "bad section name table index");
        goto out;
    }
    sh = xcalloc(shnum, sizeof *sh);
    for (size_t i = 1; i < shnum; i++) {
        Elf_Scn *scn = elf_getscn(e, i);
        if (!scn || !gelf_getshdr(scn, &sh[i])) {
            buf_printf(why, "section %zu: unreadable header", i);
            goto out;
        }
        const GElf_Shdr *s = &sh[i];
        if (s->sh_type != SHT_NOBITS && !fits(s->sh_offset, s->sh_size, o->len)) {
            buf_printf(why, "section %zu: outside the file", i);
            goto out;
        }
        /* flags beyond these (TLS, groups, compression, OS or processor
        ** specific) change how libtcc lays sections out */
        uint64_t known = SHF_WRITE | SHF_ALLOC | SHF_EXECINSTR | SHF_MERGE | SHF_STRINGS | SHF_INFO_LINK;
        bool memory = loaded_type(s->sh_type);
        if (s->sh_size > OBJFILE_MAX_IMAGE || !pow2(s->sh_addralign) || s->sh_addralign > 4096 ||
            s->sh_link >= shnum || (s->sh_flags & ~known) ||
            (!memory && (s->sh_flags & (SHF_WRITE | SHF_ALLOC | SHF_EXECINSTR)))) {
            buf_printf(why, "section %zu: unsupported size, alignment, link or flags", i);
            goto out;
        }
    }
    if (!strtab_ok(o->data, &sh[shstrndx])) {
        buf_puts(why, "section name table is not a string table");
        goto out;
    }
    const char *shstr = (const char *)o->data + sh[shstrndx].sh_offset;
    uint64_t image = 0;
    size_t symndx = 0;
    for (size_t i = 1; i < shnum; i++) {
        const GElf_Shdr *s = &sh[i];
        const char *name = str_at(shstr, sh[shstrndx].sh_size, s->sh_name);
        if (!name) {
            buf_printf(why, "section %zu: name outside the name table", i);
            goto out;
        }
        if (strcmp(name, ".stab") == 0 && s->sh_type == SHT_PROGBITS && !(s->sh_flags & SHF_ALLOC))
            continue; /* tcc -g's line numbers (stacktrace.c): never loaded */
        if (strncmp(name, ".stab", 5) == 0 && strcmp(name, ".stabstr") != 0) {
            buf_printf(why, "section %s: debug information is not supported", name);
            goto out;
        }
        switch (s->sh_type) {
        case SHT_PROGBITS:
        case SHT_NOBITS:
            /* a section outside the image would sit at address 0, beyond
            ** the reach of the image's 32-bit displacements */
            if (!loadable_name(name) || !(s->sh_flags & SHF_ALLOC)) {
                buf_printf(why, "section %s is not code or data", name);
                goto out;
            }
            image += s->sh_size + s->sh_addralign;
            break;
        case SHT_SYMTAB:
            if (symndx) {
                buf_puts(why, "more than one symbol table");
                goto out;
            }
            symndx = i;
            break;
        case SHT_STRTAB:
        case SHT_RELA:
        case SHT_NOTE:
            break;
        default:
            buf_printf(why, "section %s: unsupported type %u", name, (unsigned)s->sh_type);
            goto out;
        }
    }
    if (image > OBJFILE_MAX_IMAGE) {
        buf_puts(why, "sections too large");
        goto out;
    }
    if (!symndx) {
        buf_puts(why, "no symbol table");
        goto out;
    }
    const GElf_Shdr *st = &sh[symndx];
    if (st->sh_entsize != sizeof(Elf64_Sym) || st->sh_size % sizeof(Elf64_Sym) || st->sh_size == 0 ||
        st->sh_size / sizeof(Elf64_Sym) > OBJFILE_MAX_SYMBOLS || st->sh_link == symndx ||
        !strtab_ok(o->data, &sh[st->sh_link])) {
        buf_puts(why, "malformed symbol table");
        goto out;
    }
    o->syms = o->data + st->sh_offset;
    o->nsyms = st->sh_size / sizeof(Elf64_Sym);
    o->strs = (const char *)o->data + sh[st->sh_link].sh_offset;
    o->strsize = sh[st->sh_link].sh_size;
    if (check_symbols(o, sh, shnum, symndx, why) != 0)
        goto out;
    for (size_t i = 1; i < shnum; i++) {
        if (sh[i].sh_type != SHT_RELA)
            continue;
        size_t target = sh[i].sh_info;
        if (sh[i].sh_link != symndx || sh[i].sh_entsize != sizeof(Elf64_Rela) || sh[i].sh_size % sizeof(Elf64_Rela) ||
            target == 0 || target >= shnum || sh[target].sh_type != SHT_PROGBITS) {
            buf_printf(why, "section %zu: malformed relocations", i);
            goto out;
        }
        /* libtcc merges sections by name: relocations named for another
        ** section would be applied to that one */
        const char *rname = shstr + sh[i].sh_name, *tname = shstr + sh[target].sh_name;
        if (strncmp(rname, ".rela", 5) != 0 || strcmp(rname + 5, tname) != 0) {
            buf_printf(why, "section %s: relocations for %s must be named .rela%s", rname, tname, tname);
            goto out;
        }
        Elf_Data *d = elf_getdata(elf_getscn(e, i), NULL);
        if (!d || d->d_size != sh[i].sh_size) {
            buf_printf(why, "section %zu: unreadable relocations", i);
            goto out;
        }
        if (check_relocs(o, d, sh, target, why) != 0)
            goto out;
    }
    rc = 0;
out:
    if (rc != 0) {
        o->syms = NULL;
        o->nsyms = 0;
    }
    free(sh);
    if (e)
        elf_end(e);
    return rc;
}
