#pragma once
// Adam (torch::optim::Adam's update, state and checkpoint format) whose parameters,
// gradients and moments live in four flat buffers: every parameter, its .grad() and its
// exp_avg / exp_avg_sq are aliases into them (same sizes and strides, channels-last
// kept), so a step is one vectorised update over all parameters instead of ~8 ops per
// parameter tensor, and zeroGrad() is one fill.
//
// The buffers are bound at the first step (when every trainable parameter has a gradient
// and all share one step count); a parameter, gradient or moment replaced behind its back
// (a loaded checkpoint, a gradient set to none) is noticed at the next step and bound
// again, and whatever the flat path cannot mirror exactly (no gradient, amsgrad, several
// param groups, other dtypes, uneven step counts) runs torch::optim::Adam::step itself.

#include <vector>

#include <torch/torch.h>

namespace tm2::train {

class FlatAdam : public torch::optim::Adam {
public:
    FlatAdam(std::vector<torch::Tensor> params, torch::optim::AdamOptions options);

    torch::Tensor step(LossClosure closure = nullptr) override;
    // Zeroes every gradient (as Optimizer::zero_grad, which it calls when not bound).
    void zeroGrad();
    // Loads as torch::optim::Adam; the moments are bound into the buffers again at the next step.
    void load(torch::serialize::InputArchive& archive) override;

    bool flat() const { return bound_; }  // the last step ran the flat update

private:
    bool intact() const;  // every alias still points into the buffers
    bool bind();          // (re)binds the buffers; false when the flat path does not apply

    struct Slot {
        torch::Tensor param;
        torch::optim::AdamParamState* state = nullptr;
        const void* param_ptr = nullptr;
        const void* grad_ptr = nullptr;
        const void* avg_ptr = nullptr;
        const void* avg_sq_ptr = nullptr;
    };
    std::vector<Slot> slots_;
    torch::Tensor params_, grads_, exp_avg_, exp_avg_sq_;  // the flat buffers
    bool bound_ = false;
};

}  // namespace tm2::train
