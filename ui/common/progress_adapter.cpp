#include "ui/common/progress_adapter.h"

namespace ser {

void ProgressAdapter::progress(std::size_t done, std::size_t total, const std::string& item) {
  emit progressed(qulonglong(done), qulonglong(total), QString::fromStdString(item));
}

}  // namespace ser
