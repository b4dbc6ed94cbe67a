/* Start-up code for the exported model's example on QEMU's mps2-an386 board
   (Cortex-M4F), used by scripts/cortex-m.sh with tests/cortex_m/mps2_an386.ld.
   Test harness only: a real board uses its vendor's start-up file.

   - the vector table: initial stack pointer and the reset handler; every fault
     reports itself through semihosting and stops QEMU with a failure status;
   - Reset_Handler: enables the FPU (the build uses -mfloat-abi=hard), copies
     .data from flash to RAM, zeroes .bss, fills the free RAM between the heap
     start and the stack with a pattern, opens newlib's semihosting (rdimon)
     file handles so printf reaches QEMU's terminal, runs the static
     constructors and main(), then prints two figures and exits with main's
     status:
       sbrk_peak_bytes  = the highest heap break above `end` (newlib's malloc,
                          with its own overhead and stdio's buffers)
       stack_peak_bytes = the deepest stack use (the painted words overwritten
                          below the top of RAM)
   - _sbrk: newlib's heap growth (replaces librdimon's weak one) to record the
     peak; it refuses to grow into the stack, as newlib's does.

   Linked with -nostartfiles --specs=rdimon.specs: newlib's own crt0 is not used. */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
extern char end; /* first byte after .bss: the heap starts here */
extern int main(void);
extern void __libc_init_array(void);
extern void initialise_monitor_handles(void);

/* Defined by crti.o / crtbegin.o, which -nostartfiles leaves out: __libc_init_array()
   calls _init(), and libstdc++'s static destructors register with __dso_handle. */
void _init(void) {}
void _fini(void) {}
void* __dso_handle = 0;

#define STACK_PAINT 0x5AC3A55Cu

static char* heap_break;
static char* heap_peak;

static inline char* stack_pointer(void) {
    char* sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

void* _sbrk(ptrdiff_t increment) {
    if (!heap_break) heap_break = heap_peak = &end;
    char* previous = heap_break;
    if (heap_break + increment > stack_pointer() - 256) {
        errno = ENOMEM;
        return (void*)-1;
    }
    heap_break += increment;
    if (heap_break > heap_peak) heap_peak = heap_break;
    return previous;
}

/* Semihosting call (BKPT 0xAB): operation in r0, argument in r1. */
static void semihost(uint32_t op, const void* arg) {
    register uint32_t r0 __asm__("r0") = op;
    register const void* r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
}

/* Any fault or unexpected interrupt: say so and end QEMU with a non-zero status
   (SYS_EXIT with a reason other than ADP_Stopped_ApplicationExit). */
void Fault_Handler(void) {
    semihost(0x04u /* SYS_WRITE0 */, "cortex-m: fault or unexpected interrupt\n");
    semihost(0x18u /* SYS_EXIT */, (const void*)0x20023u /* ADP_Stopped_RunTimeErrorUnknown */);
    for (;;) {
    }
}

void Reset_Handler(void) {
    /* CPACR: full access to CP10 and CP11 (the FPU) before any floating-point instruction. */
    *(volatile uint32_t*)0xE000ED88u |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");

    uint32_t* src = &_sidata;
    for (uint32_t* dst = &_sdata; dst < &_edata;) *dst++ = *src++;
    for (uint32_t* dst = &_sbss; dst < &_ebss;) *dst++ = 0;

    /* Paint the free RAM (heap and stack share it) up to just below this frame. */
    uint32_t* const painted_end = (uint32_t*)((uintptr_t)(stack_pointer() - 256) & ~(uintptr_t)3);
    for (volatile uint32_t* p = (uint32_t*)&end; p < painted_end;) *p++ = STACK_PAINT;

    initialise_monitor_handles();
    __libc_init_array();
    const int status = main();

    /* The stack grew down from the top of RAM: find its lowest overwritten word above the heap. */
    const uintptr_t heap_top = (uintptr_t)(heap_peak ? heap_peak : &end);
    const uint32_t* p = (const uint32_t*)((heap_top + 3) & ~(uintptr_t)3);
    while (p < painted_end && *p == STACK_PAINT) ++p;
    printf("sbrk_peak_bytes = %u\n", (unsigned)(heap_top - (uintptr_t)&end));
    printf("stack_peak_bytes = %u\n", (unsigned)((uintptr_t)&_estack - (uintptr_t)p));
    exit(status);
}

/* Cortex-M4 system exceptions; the board's 32 external interrupts stay disabled. */
__attribute__((section(".isr_vector"), used)) static void (*const vector_table[16])(void) = {
    (void (*)(void))(&_estack), /* initial stack pointer: top of RAM */
    Reset_Handler,              /* reset */
    Fault_Handler,              /* NMI */
    Fault_Handler,              /* HardFault */
    Fault_Handler,              /* MemManage */
    Fault_Handler,              /* BusFault */
    Fault_Handler,              /* UsageFault */
    0,                          /* reserved */
    0,                          /* reserved */
    0,                          /* reserved */
    0,                          /* reserved */
    Fault_Handler,              /* SVCall */
    Fault_Handler,              /* DebugMonitor */
    0,                          /* reserved */
    Fault_Handler,              /* PendSV */
    Fault_Handler,              /* SysTick */
};
