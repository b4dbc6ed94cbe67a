/* A QEMU TCG plugin that counts the guest instructions a program executes under
 * qemu-user, in all and per function (the symbol of each translated block's first
 * instruction), and writes them to a file at exit:
 *
 *   gcc -shared -fPIC -O2 -o libinsn_count.so bench/qemu_insn_count.c
 *   qemu-aarch64 -plugin ./libinsn_count.so,out=counts.txt PROGRAM ...
 *
 * Output lines: "total N", then "symbol N NAME" per function, largest first.
 * With the argument by=block, one line per translated block instead, named
 * FUNCTION+0xADDRESS (for finding the hot loop inside a function).
 * Debian 12 ships qemu-user with plugin support (-plugin) but neither the
 * contrib plugins (libinsn.so) nor qemu-plugin.h, so the few declarations of
 * QEMU's plugin API (version 1, QEMU 7.2; include/qemu/qemu-plugin.h) this
 * file needs are written out below. The count is deterministic: the same binary
 * and input execute the same instructions on every run.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct {
    const char* target_name;
    struct {
        int min, cur;
    } version;
    bool system_emulation;
} qemu_info_t; /* a prefix of QEMU's struct: only read through the pointer */
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb* tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void* userdata);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb* tb, enum qemu_plugin_op op, void* ptr,
                                              uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void* userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb* tb);
struct qemu_plugin_insn* qemu_plugin_tb_get_insn(const struct qemu_plugin_tb* tb, size_t idx);
const char* qemu_plugin_insn_symbol(const struct qemu_plugin_insn* insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn* insn);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

/* One counter per function; blocks without a symbol share "?". Linear search at
 * translation time only (a few thousand blocks); execution adds inline. */
struct counter {
    char* name;
    uint64_t count;
};
static struct counter* counters;
static size_t counter_count, counter_capacity;
static uint64_t total;
static const char* out_path = "insn_count.txt";
static bool by_block;

static uint64_t* counterFor(const char* name) {
    if (!name) name = "?";
    for (size_t i = 0; i < counter_count; ++i)
        if (strcmp(counters[i].name, name) == 0) return &counters[i].count;
    if (counter_count == counter_capacity) {
        /* Counters are referenced by address from translated code: never move them. */
        if (counter_capacity != 0) return &counters[0].count; /* "?" */
        counter_capacity = 1 << 16;
        counters = calloc(counter_capacity, sizeof *counters);
        if (!counters) abort();
    }
    counters[counter_count].name = strdup(name);
    return &counters[counter_count++].count;
}

static void onTranslate(qemu_plugin_id_t id, struct qemu_plugin_tb* tb) {
    (void)id;
    const size_t n = qemu_plugin_tb_n_insns(tb);
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &total, n);
    const struct qemu_plugin_insn* first = n ? qemu_plugin_tb_get_insn(tb, 0) : NULL;
    const char* symbol = first ? qemu_plugin_insn_symbol(first) : NULL;
    char name[512];
    if (by_block && first) {
        snprintf(name, sizeof name, "%s+0x%llx", symbol ? symbol : "?",
                 (unsigned long long)qemu_plugin_insn_vaddr(first));
        symbol = name;
    }
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, counterFor(symbol), n);
}

static int byCountDescending(const void* a, const void* b) {
    const struct counter *x = a, *y = b;
    return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->name, y->name);
}

static void onExit(qemu_plugin_id_t id, void* userdata) {
    (void)id, (void)userdata;
    FILE* f = fopen(out_path, "w");
    if (!f) {
        perror(out_path);
        return;
    }
    fprintf(f, "total %llu\n", (unsigned long long)total);
    qsort(counters, counter_count, sizeof *counters, byCountDescending);
    for (size_t i = 0; i < counter_count; ++i)
        if (counters[i].count)
            fprintf(f, "symbol %llu %s\n", (unsigned long long)counters[i].count, counters[i].name);
    fclose(f);
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t* info,
                                                               int argc, char** argv) {
    (void)info;
    for (int i = 0; i < argc; ++i)
        if (strncmp(argv[i], "out=", 4) == 0)
            out_path = argv[i] + 4;
        else if (strcmp(argv[i], "by=block") == 0)
            by_block = true;
    counterFor("?");
    qemu_plugin_register_vcpu_tb_trans_cb(id, onTranslate);
    qemu_plugin_register_atexit_cb(id, onExit, NULL);
    return 0;
}
