#pragma once
// Thread control for the core's parallel loops (OpenMP). Results never depend on the count:
// every loop writes disjoint rows and every random number comes from a CounterRng counter.

namespace scorescope {

int threadCount();
// n <= 0 restores the default (one thread per core).
void setThreadCount(int n);

}  // namespace scorescope
