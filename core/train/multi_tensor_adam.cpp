#include "core/train/multi_tensor_adam.h"

#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace ser {
namespace {

// The optimiser's state key for a parameter: libtorch 1.13 keys its state map by the printed
// TensorImpl address (c10::guts::to_string), 2.x by the address itself.
template <typename Map>
typename Map::key_type stateKey(const Map&, const torch::Tensor& p) {
  if constexpr (std::is_same_v<typename Map::key_type, std::string>) {
    std::ostringstream s;
    s << p.unsafeGetTensorImpl();
    return s.str();
  } else {
    return static_cast<typename Map::key_type>(p.unsafeGetTensorImpl());
  }
}

struct GroupTensors {
  std::vector<torch::Tensor> params, grads, expAvgs, expAvgSqs;
  std::vector<torch::optim::AdamParamState*> states;
};

// Collects the parameters with a gradient and their state (created as libtorch creates it).
// Returns false when the group needs libtorch's own step: sparse gradients, or parameters whose
// step counts differ (one bias correction per group is what makes the foreach form possible).
template <typename Map>
bool collect(torch::optim::OptimizerParamGroup& group, Map& state, GroupTensors& g) {
  for (auto& p : group.params()) {
    if (!p.grad().defined()) continue;
    if (p.grad().is_sparse()) return false;
    auto key = stateKey(state, p);
    auto it = state.find(key);
    if (it == state.end()) {
      auto s = std::make_unique<torch::optim::AdamParamState>();
      s->step(0);
      s->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
      s->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
      it = state.emplace(key, std::move(s)).first;
    }
    auto* s = static_cast<torch::optim::AdamParamState*>(it->second.get());
    if (!g.states.empty() && s->step() != g.states.front()->step()) return false;
    g.params.push_back(p);
    g.grads.push_back(p.grad());
    g.expAvgs.push_back(s->exp_avg());
    g.expAvgSqs.push_back(s->exp_avg_sq());
    g.states.push_back(s);
  }
  return true;
}

// The Adam update of one group, given the (possibly weight-decayed) gradients.
void adamUpdate(GroupTensors& g, const std::vector<torch::Tensor>& grads, double lr, double beta1, double beta2,
                double eps) {
  for (auto* s : g.states) s->step(s->step() + 1);
  const double step = double(g.states.front()->step());
  const double biasCorrection1 = 1.0 - std::pow(beta1, step);
  const double biasCorrection2 = 1.0 - std::pow(beta2, step);
  torch::NoGradGuard noGrad;
  // exp_avg = beta1 * exp_avg + (1 - beta1) * grad; exp_avg_sq = beta2 * exp_avg_sq + (1 - beta2) * grad^2
  at::_foreach_mul_(g.expAvgs, c10::Scalar(beta1));
  at::_foreach_add_(g.expAvgs, grads, c10::Scalar(1.0 - beta1));
  at::_foreach_mul_(g.expAvgSqs, c10::Scalar(beta2));
  at::_foreach_addcmul_(g.expAvgSqs, grads, grads, c10::Scalar(1.0 - beta2));
  // param -= lr / bias_correction1 * exp_avg / (sqrt(exp_avg_sq) / sqrt(bias_correction2) + eps)
  std::vector<torch::Tensor> denom = at::_foreach_sqrt(g.expAvgSqs);
  at::_foreach_div_(denom, c10::Scalar(std::sqrt(biasCorrection2)));
  at::_foreach_add_(denom, c10::Scalar(eps));
  at::_foreach_addcdiv_(g.params, g.expAvgs, denom, c10::Scalar(-lr / biasCorrection1));
}

// One step of Adam (decoupled = false) or AdamW (true) over every group, or libtorch's own step
// (`fallback`) when a group needs it; decided before anything is updated.
template <typename Options, typename State>
torch::Tensor multiTensorStep(std::vector<torch::optim::OptimizerParamGroup>& groups, State& state,
                              const torch::optim::Optimizer::LossClosure& closure, bool decoupled,
                              const std::function<void()>& fallback) {
  torch::Tensor loss;
  if (closure) {
    torch::AutoGradMode enable(true);
    loss = closure();
  }
  torch::NoGradGuard noGrad;
  std::vector<GroupTensors> tensors(groups.size());
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const auto& o = static_cast<const Options&>(groups[i].options());
    if (o.amsgrad() || !collect(groups[i], state, tensors[i])) {
      fallback();
      return loss;
    }
  }
  for (std::size_t i = 0; i < groups.size(); ++i) {
    GroupTensors& g = tensors[i];
    if (g.params.empty()) continue;
    const auto& o = static_cast<const Options&>(groups[i].options());
    const double beta1 = std::get<0>(o.betas()), beta2 = std::get<1>(o.betas());
    if (!decoupled) {
      // Adam's L2 weight decay goes into the gradient the moments see (not into p.grad).
      const std::vector<torch::Tensor> grads =
          o.weight_decay() != 0 ? at::_foreach_add(g.grads, g.params, c10::Scalar(o.weight_decay())) : g.grads;
      adamUpdate(g, grads, o.lr(), beta1, beta2, o.eps());
    } else {
      // AdamW's decoupled weight decay: param *= 1 - lr * weight_decay, before the update.
      if (o.weight_decay() != 0) at::_foreach_mul_(g.params, c10::Scalar(1.0 - o.lr() * o.weight_decay()));
      adamUpdate(g, g.grads, o.lr(), beta1, beta2, o.eps());
    }
  }
  return loss;
}

}  // namespace

torch::Tensor MultiTensorAdam::step(LossClosure closure) {
  return multiTensorStep<torch::optim::AdamOptions>(param_groups_, state_, closure, /*decoupled=*/false,
                                                    [this] { torch::optim::Adam::step(nullptr); });
}

torch::Tensor MultiTensorAdamW::step(LossClosure closure) {
  return multiTensorStep<torch::optim::AdamWOptions>(param_groups_, state_, closure, /*decoupled=*/true,
                                                     [this] { torch::optim::AdamW::step(nullptr); });
}

}  // namespace ser
