#include "core/train/flat_adam.h"

#include <cmath>

namespace tm2::train {

namespace {

// A tensor with `like`'s sizes and strides over buffer[offset, offset + numel): it shares
// the buffer's storage without being an autograd view (so detach_() and set_data() work on it).
torch::Tensor alias(const torch::Tensor& buffer, int64_t offset, const torch::Tensor& like) {
    return torch::empty({0}, buffer.options()).set_(buffer.storage(), offset, like.sizes(), like.strides());
}

// Each alias starts on a 64-byte boundary (LibTorch's own alignment), as a separately
// allocated tensor would: oneDNN and the vectorised kernels keep their aligned paths.
constexpr int64_t kAlign = 16;  // floats
int64_t aligned(int64_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

bool flatCompatible(const torch::Tensor& t) {
    return t.defined() && t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.layout() == torch::kStrided &&
           t.is_non_overlapping_and_dense();
}

}  // namespace

FlatAdam::FlatAdam(std::vector<torch::Tensor> params, torch::optim::AdamOptions options)
    : torch::optim::Adam(std::move(params), options) {}

bool FlatAdam::intact() const {
    if (!bound_) return false;
    for (const Slot& s : slots_) {
        const torch::Tensor& grad = s.param.grad();
        if (s.param.data_ptr() != s.param_ptr || !grad.defined() || grad.data_ptr() != s.grad_ptr ||
            s.state->exp_avg().data_ptr() != s.avg_ptr || s.state->exp_avg_sq().data_ptr() != s.avg_sq_ptr)
            return false;
    }
    return true;
}

bool FlatAdam::bind() {
    bound_ = false;
    slots_.clear();
    if (param_groups_.size() != 1) return false;
    const auto& options = static_cast<const torch::optim::AdamOptions&>(param_groups_[0].options());
    if (options.amsgrad()) return false;
    const std::vector<torch::Tensor>& params = param_groups_[0].params();
    int64_t total = 0, step = -1;
    for (const torch::Tensor& p : params) {
        const torch::Tensor& grad = p.grad();
        if (!flatCompatible(p) || !flatCompatible(grad) || grad.sizes() != p.sizes()) return false;
        auto it = state_.find(c10::guts::to_string(p.unsafeGetTensorImpl()));
        int64_t s = 0;
        if (it != state_.end()) {
            const auto& st = static_cast<const torch::optim::AdamParamState&>(*it->second);
            if (!st.exp_avg().defined() || !st.exp_avg_sq().defined() || st.exp_avg().sizes() != p.sizes() ||
                st.exp_avg_sq().sizes() != p.sizes())
                return false;
            s = st.step();
        }
        if (step >= 0 && s != step) return false;  // one bias correction for all
        step = s;
        total += aligned(p.numel());
    }
    if (params.empty()) return false;

    const auto f32 = torch::TensorOptions().dtype(torch::kFloat32);
    // The gaps between aliases stay zero: the update leaves zeros at zero.
    params_ = torch::zeros({total}, f32);
    grads_ = torch::zeros({total}, f32);
    exp_avg_ = torch::zeros({total}, f32);
    exp_avg_sq_ = torch::zeros({total}, f32);
    int64_t offset = 0;
    for (const torch::Tensor& p : params) {
        const std::string key = c10::guts::to_string(p.unsafeGetTensorImpl());
        auto it = state_.find(key);
        if (it == state_.end()) {
            auto fresh = std::make_unique<torch::optim::AdamParamState>();
            fresh->step(0);
            it = state_.emplace(key, std::move(fresh)).first;
        }
        auto& state = static_cast<torch::optim::AdamParamState&>(*it->second);
        torch::Tensor avg = alias(exp_avg_, offset, p), avg_sq = alias(exp_avg_sq_, offset, p);
        if (state.exp_avg().defined()) avg.copy_(state.exp_avg());
        if (state.exp_avg_sq().defined()) avg_sq.copy_(state.exp_avg_sq());
        state.exp_avg(avg);
        state.exp_avg_sq(avg_sq);
        torch::Tensor data = alias(params_, offset, p), grad = alias(grads_, offset, p);
        data.copy_(p);
        grad.copy_(p.grad());
        Slot slot;
        slot.param = p;
        slot.param.set_data(data);
        slot.param.mutable_grad() = grad;
        slot.state = &state;
        slot.param_ptr = data.data_ptr();
        slot.grad_ptr = grad.data_ptr();
        slot.avg_ptr = avg.data_ptr();
        slot.avg_sq_ptr = avg_sq.data_ptr();
        slots_.push_back(std::move(slot));
        offset += aligned(p.numel());
    }
    bound_ = true;
    return true;
}

torch::Tensor FlatAdam::step(LossClosure closure) {
    torch::Tensor loss;
    if (closure) {
        torch::AutoGradMode enable_grad(true);
        loss = closure();
    }
    torch::NoGradGuard no_grad;
    if (!intact() && !bind()) {
        torch::optim::Adam::step();
        return loss;
    }
    // torch::optim::Adam::step's arithmetic, op for op, on all parameters at once.
    const auto& options = static_cast<const torch::optim::AdamOptions&>(param_groups_[0].options());
    const int64_t step = slots_.front().state->step() + 1;
    for (Slot& s : slots_) {
        s.state->step(step);
        s.param.unsafeGetTensorImpl()->bump_version();  // as an in-place update of the parameter would
    }
    const double beta1 = std::get<0>(options.betas()), beta2 = std::get<1>(options.betas());
    const double bias_correction1 = 1 - std::pow(beta1, step);
    const double bias_correction2 = 1 - std::pow(beta2, step);
    torch::Tensor grad = grads_;
    if (options.weight_decay() != 0) grad = grad.add(params_, options.weight_decay());
    exp_avg_.mul_(beta1).add_(grad, 1 - beta1);
    exp_avg_sq_.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
    const torch::Tensor denom = (exp_avg_sq_.sqrt() / std::sqrt(bias_correction2)).add_(options.eps());
    params_.addcdiv_(exp_avg_, denom, -options.lr() / bias_correction1);
    return loss;
}

void FlatAdam::zeroGrad() {
    if (intact())
        grads_.zero_();
    else
        zero_grad();
}

void FlatAdam::load(torch::serialize::InputArchive& archive) {
    bound_ = false;  // the loaded state replaces the one the slots point to
    slots_.clear();
    torch::optim::Adam::load(archive);
}

}  // namespace tm2::train
