#include "scorescope/allocator.hpp"

#include <cstdlib>  // defines __GLIBC__ on glibc systems (checked below)

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace scorescope {

bool keepFreedBatchMemory() {
#if defined(__GLIBC__)
  // Batches below 32 MB (glibc's largest allowed threshold; 2M particles) come from the heap...
  const bool mapped = mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1;
  // ...which is not shrunk after every step.
  const bool trimmed = mallopt(M_TRIM_THRESHOLD, 512 << 20) == 1;
  return mapped && trimmed;
#else
  return false;
#endif
}

}  // namespace scorescope
