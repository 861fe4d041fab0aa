#pragma once
// Sampler steps allocate and free batch-sized temporaries (1.6 MB per 100k particles) many times
// per step. With glibc's defaults each of those is a fresh mmap that the kernel zero-fills on
// first touch, which costs more than the arithmetic on two cores (measured: 0.98 s -> 0.51 s
// for the PF-ODE benchmark). Keeping freed memory in the heap removes that cost.

namespace scorescope {

// Call once at program start. Returns whether glibc took the settings (false on other C
// libraries, where it does nothing).
bool keepFreedBatchMemory();

}  // namespace scorescope
