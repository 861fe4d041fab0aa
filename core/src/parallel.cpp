#include "scorescope/parallel.hpp"

#include <omp.h>

namespace scorescope {

int threadCount() { return omp_get_max_threads(); }

void setThreadCount(int n) { omp_set_num_threads(n > 0 ? n : omp_get_num_procs()); }

}  // namespace scorescope
