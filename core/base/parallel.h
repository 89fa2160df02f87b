#pragma once
// A minimal parallel-for over indices with a fixed worker count, for file-level work.
// Each worker pulls the next index from a shared counter, so slow files do not stall others.
#include <cstddef>
#include <functional>

namespace ser {

// Number of worker threads to use by default: the machine's hardware threads (at least 1).
unsigned defaultThreadCount();

// Runs body(index, workerId) for index in [0, n) on `threads` workers (0 = default).
// Stops handing out new indices once `stop()` returns true (checked before each index).
// The first exception thrown by a body is rethrown on the calling thread after all workers end.
void parallelFor(std::size_t n, unsigned threads,
                 const std::function<void(std::size_t index, unsigned worker)>& body,
                 const std::function<bool()>& stop = {});

}  // namespace ser
