#include "core/base/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace ser {

unsigned defaultThreadCount() { return std::max(1u, std::thread::hardware_concurrency()); }

void parallelFor(std::size_t n, unsigned threads,
                 const std::function<void(std::size_t, unsigned)>& body,
                 const std::function<bool()>& stop) {
  if (n == 0) return;
  if (threads == 0) threads = defaultThreadCount();
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, n));
  std::atomic<std::size_t> next{0};
  std::exception_ptr firstError;
  std::mutex errorMutex;
  std::atomic<bool> failed{false};

  auto worker = [&](unsigned id) {
    for (;;) {
      if (failed.load() || (stop && stop())) return;
      const std::size_t i = next.fetch_add(1);
      if (i >= n) return;
      try {
        body(i, id);
      } catch (...) {
        std::lock_guard<std::mutex> lock(errorMutex);
        if (!firstError) firstError = std::current_exception();
        failed.store(true);
        return;
      }
    }
  };

  std::vector<std::thread> pool;
  pool.reserve(threads > 0 ? threads - 1 : 0);
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& th : pool) th.join();
  if (firstError) std::rethrow_exception(firstError);
}

}  // namespace ser
