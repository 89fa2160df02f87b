// core/train/compute_device: the CPU device uses the requested threads, a CUDA request without
// CUDA is refused clearly, and keepLargeAllocationsOnHeap() really stops glibc from serving large
// blocks with mmap (observed through mallinfo2's count of mmapped blocks).
#include <cstdlib>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "core/base/error.h"
#include "core/train/compute_device.h"

// Qt after libtorch: Qt's `slots` macro breaks torch headers parsed after it.
#include <QtTest>

using namespace ser;

namespace {

#ifdef __GLIBC__
// Mmapped blocks held while a 64 MiB block is allocated (its pages touched), relative to before.
long mmappedBlocksForLargeBlock() {
  const long before = long(mallinfo2().hblks);
  constexpr std::size_t kSize = 64u << 20;
  auto* p = static_cast<volatile char*>(std::malloc(kSize));
  if (!p) return -1;
  for (std::size_t i = 0; i < kSize; i += 4096) p[i] = 1;
  const long during = long(mallinfo2().hblks);
  std::free(const_cast<char*>(p));
  return during - before;
}
#endif

}  // namespace

class TestComputeDevice : public QObject {
  Q_OBJECT
 private slots:
  void largeBlocksLeaveMmapForTheHeap();
  void cpuUsesTheRequestedThreads();
  void cudaRequestWithoutCudaIsRefused();
};

void TestComputeDevice::largeBlocksLeaveMmapForTheHeap() {
#if !defined(__GLIBC__)
  QSKIP("glibc only");
#elif defined(__SANITIZE_ADDRESS__)
  QSKIP("AddressSanitizer replaces glibc's allocator");
#else
  QCOMPARE(qgetenv("SERWB_MALLOC"), QByteArray());  // the default: the engine's setting applies
  QCOMPARE(mmappedBlocksForLargeBlock(), 1L);       // glibc's default: a 64 MiB block is mmapped
  QVERIFY(keepLargeAllocationsOnHeap());
  QVERIFY(keepLargeAllocationsOnHeap());            // idempotent
  QCOMPARE(mmappedBlocksForLargeBlock(), 0L);       // now it comes from the heap
  const std::size_t heldBefore = mallinfo2().fordblks;
  QVERIFY(heldBefore >= (64u << 20));               // freed, but kept for the next step
  releaseFreeMemory();
  QVERIFY(mallinfo2().fordblks < heldBefore);       // handed back when training ends
#endif
}

void TestComputeDevice::cpuUsesTheRequestedThreads() {
  const ComputeDevice d = selectComputeDevice(DeviceChoice::Cpu, 2);
  QCOMPARE(d.threads, 2);
  QVERIFY(d.device.is_cpu());
  QCOMPARE(QString::fromStdString(d.description), QStringLiteral("cpu (2 threads)"));
  QCOMPARE(torch::get_num_threads(), 2);
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
  QVERIFY(d.heapAllocator);
#endif
}

void TestComputeDevice::cudaRequestWithoutCudaIsRefused() {
  if (torch::cuda::is_available()) QSKIP("this machine has CUDA");
  try {
    selectComputeDevice(DeviceChoice::Cuda, 0);
    QFAIL("expected ser::Error");
  } catch (const Error& e) {
    QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("cuda")), e.what());
  }
}

QTEST_APPLESS_MAIN(TestComputeDevice)
#include "tst_compute_device.moc"
