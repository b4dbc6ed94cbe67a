#pragma once
// LibTorch allocates and frees tensors of a few MB at every step (each Hessian
// probe, each training batch). glibc serves blocks above its mmap threshold
// (128 KiB, raised as it goes) with a fresh mmap and returns them with munmap,
// and trims the heap when its top is free: every step then pays page faults and
// zeroing for memory it just gave back. Measured on the demo network's Hessian
// (quantize --mode mp, 19 probes, one thread): 45.6 s with glibc's defaults,
// 19.9 s with large blocks kept in the heap (13.9 s → 1.3 s of system time).

namespace tm2 {

// Keeps blocks up to 32 MiB (glibc's largest mmap threshold) in the heap and
// trims it only above 1 GiB free. Call once, first thing in main(); a no-op
// without glibc.
void keepLargeAllocationsInTheHeap();

}  // namespace tm2
