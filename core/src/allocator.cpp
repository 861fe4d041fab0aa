#include "scorescope/allocator.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace scorescope {

void keepFreedBatchMemory() {
#if defined(__GLIBC__)
  // Batches below 32 MB (glibc's largest allowed threshold; 2M particles) come from the heap...
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);  // ...which is not shrunk after every step
#endif
}

}  // namespace scorescope
