#include "core/train/film_fusion.h"

#include <vector>

#include "core/base/error.h"
#include "core/runtime/kernels/requantize.h"

namespace tm2::train {

namespace {

ActivationGrid calibratedGrid(const ActivationQuantizer& q) {
    if (!q || q->mode != ActivationQuantizerImpl::Mode::Quantize || !(q->hi > q->lo))
        throw Error("integer-exact evaluation needs calibrated FiLM quantizers (quantize first)");
    return activationGrid(q->lo, q->hi, q->bits);
}

// x = (q − zp) · s in float → q − zp, exactly, as int64.
torch::Tensor centred(const torch::Tensor& x, const ActivationGrid& g) {
    return torch::round(x.detach().to(torch::kFloat64) / g.scale).to(torch::kInt64);
}

// runtime::applyDyadic on int64 tensors: round(v · m · 2^-shift), ties toward +∞.
torch::Tensor dyadic(const torch::Tensor& v, double real) {
    const runtime::Dyadic d = runtime::toDyadic(real);
    return torch::div(v * d.multiplier + (std::int64_t{1} << (d.shift - 1)), std::int64_t{1} << d.shift,
                      "floor");
}

torch::Tensor integerFilm(const torch::Tensor& gamma, const torch::Tensor& beta, const torch::Tensor& h,
                          const FilmQuantizers& q) {
    torch::NoGradGuard no_grad;
    const ActivationGrid gg = calibratedGrid(q.scale), gb = calibratedGrid(q.shift),
                         gh = calibratedGrid(q.features), gp = calibratedGrid(q.product),
                         gf = calibratedGrid(q.output);
    // Mul: (γ − zp_γ)(h − zp_h) · s_γ s_h / s_p + zp_p, clamped to p's codes.
    const torch::Tensor p =
        (dyadic(centred(gamma, gg) * centred(h, gh), gg.scale * gh.scale / gp.scale) + gp.zero_point)
            .clamp(0, gp.levels);
    // Add: each input at the output's scale, then zp_f, clamped.
    const torch::Tensor f = (dyadic(p - gp.zero_point, gp.scale / gf.scale) +
                             dyadic(centred(beta, gb), gb.scale / gf.scale) + gf.zero_point)
                                .clamp(0, gf.levels);
    return (f - gf.zero_point).to(torch::kFloat32) * static_cast<float>(gf.scale);
}

}  // namespace

torch::Tensor filmFeatures(const torch::Tensor& gamma, const torch::Tensor& beta, const torch::Tensor& h,
                           const FilmQuantizers& q, bool integer_exact) {
    if (integer_exact) return integerFilm(gamma, beta, h, q);
    ActivationQuantizer product = q.product, output = q.output;  // holders: forward is not const
    return output->forward(product->forward(gamma * h) + beta);
}

}  // namespace tm2::train
