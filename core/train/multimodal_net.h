#pragma once
// The LibTorch network a ModelSpec describes: one branch per modality,
// fusion (concat / sum / late / gated / film / attention), head, classifier. Branch features can be
// dropped per sample (modality dropout in training, a missing modality at
// test time) and per-branch auxiliary classifiers give extra losses.
//
// Every weight layer is quantization-aware: its weights can be fake-quantized
// to a bit width and its output activations (after bn and relu) pass through
// an ActivationQuantizer, both identities until the quantizer turns them on.

#include <map>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/model/model_spec.h"
#include "core/model/shape_inference.h"
#include "core/train/fake_quant.h"
#include "core/train/film_fusion.h"

namespace tm2::train {

struct NetOutput {
    torch::Tensor logits;                    // N × classes
    std::vector<torch::Tensor> aux_logits;   // per branch, N × classes (empty without aux heads)
};

// One weight layer as the cost table and the quantizer see it ("image.0.conv2d",
// "audio.3.dsconv2d.depthwise", "head.0.fc", "classifier", …).
struct QuantizableLayer {
    std::string name;
    std::string branch;
    QuantConv2d conv{nullptr};     // one of conv / linear is set
    QuantLinear linear{nullptr};
    std::shared_ptr<torch::nn::Module> batchnorm;  // BatchNorm2d/1d right after it, or null (until folded)
    ActivationQuantizer output{nullptr};            // null for the classifier (logits stay int32 → float)

    torch::Tensor& weight();
    torch::Tensor& bias();  // may be undefined
    int bits() const;
    void setBits(int bits);
};

class MultimodalNetImpl : public torch::nn::Module {
public:
    // `spec` must have every input shape and num_classes set (inferShapes passes).
    MultimodalNetImpl(const model::ModelSpec& spec, bool aux_heads);

    // inputs[b] is N × C × H × W for branch b. `present` (optional, N × branches,
    // float 0/1) zeroes a branch's features for the samples where it is 0.
    NetOutput forward(const std::vector<torch::Tensor>& inputs, const torch::Tensor& present = {});

    // The head's input from the branches' features (concat, sum, gated, film or attention; not late).
    // `record` (optional) receives the fusion's intermediate outputs under their module
    // names ("fusion_gate_audio_aq", "fusion_gate_audio_mul", "fusion_film_audio_add"), for parity reports.
    torch::Tensor fuseFeatures(const std::vector<torch::Tensor>& features,
                               std::map<std::string, torch::Tensor>* record = nullptr);

    const model::ModelSpec& spec() const { return spec_; }
    const model::ShapeReport& shapes() const { return shapes_; }
    std::size_t branchCount() const { return branches_.size(); }

    // ---- quantization hooks ----
    std::vector<QuantizableLayer>& quantizableLayers() { return quantizable_; }
    QuantizableLayer& quantizableLayer(const std::string& name);  // throws tm2::Error listing names
    std::vector<ActivationQuantizer>& inputQuantizers() { return input_quantizers_; }
    // Activation quantizers of the fusion that belong to no layer (FiLM's product and
    // output, "fusion.film.<modality>.mul" / ".add"), calibrated and saved like the others.
    std::vector<std::pair<std::string, ActivationQuantizer>>& fusionQuantizers() {
        return fusion_quantizers_;
    }
    ActivationQuantizer fusionQuantizer(const std::string& name);  // throws tm2::Error naming the known ones
    // Layer name → bits (0 = float); layers not named keep theirs. Activations follow the layer's bits.
    void setBits(const std::map<std::string, int>& bits);
    void setActivationMode(ActivationQuantizerImpl::Mode mode);  // all activation + input quantizers
    // Evaluates every weight layer as the integer runtime does (integer_simulation.h):
    // the reference the exported model must match code for code. Inference only.
    void setIntegerExact(bool on);
    // Folds each batchnorm that follows a weight layer into that layer
    // (W' = W·γ/σ, b' = β + (b − μ)·γ/σ) and turns the batchnorm into an identity.
    // The folded batchnorms are then exact identities and not trainable.
    void foldBatchNorms();
    bool batchNormsFolded() const { return folded_; }
    // For a network whose saved weights were folded already (a quantized-model artifact):
    // checks every batchnorm after a weight layer is the identity and marks it folded.
    void restoreFoldedBatchNorms();
    // Keeps folded batchnorms in eval mode (quantization-aware fine-tuning trains the rest).
    void train(bool on = true) override;

private:
    torch::Tensor applyHead(const torch::Tensor& x);
    void freezeFoldedBatchNorms();
    // `feeding` is the quantizer of the sequence's input; on return, of its output
    // (null after an op that changes the scale, e.g. a standalone batchnorm).
    torch::nn::Sequential buildSequence(const std::vector<model::LayerSpec>& layers, const std::string& branch,
                                        ActivationQuantizer& feeding);

    model::ModelSpec spec_;
    model::ShapeReport shapes_;
    std::vector<torch::nn::Sequential> branches_;
    torch::nn::Sequential head_{nullptr};
    QuantLinear classifier_{nullptr};                // concat / sum
    std::vector<QuantLinear> branch_classifiers_;    // late fusion
    // Gated fusion (gated_fusion.h): per branch its gate fc, the gate's output quantizer
    // and the quantizer of the branch's features (whose grid the gated features keep).
    std::vector<QuantLinear> gates_;
    std::vector<ActivationQuantizer> gate_outputs_, branch_features_;
    // FiLM fusion (film_fusion.h): per branch after the first, its scale and shift fcs and quantizers.
    std::vector<QuantLinear> film_scales_, film_shifts_;
    std::vector<FilmQuantizers> film_;
    // Attention fusion (attention_fusion.h): the score fc and its output quantizer.
    QuantLinear attention_score_{nullptr};
    ActivationQuantizer attention_score_output_{nullptr};
    std::vector<std::pair<std::string, ActivationQuantizer>> fusion_quantizers_;
    bool integer_exact_ = false;
    std::vector<torch::nn::Linear> aux_classifiers_;
    std::vector<ActivationQuantizer> input_quantizers_;
    std::vector<QuantizableLayer> quantizable_;
    bool folded_ = false;
};

TORCH_MODULE(MultimodalNet);

// Number of trainable parameters (weights and biases).
std::int64_t countParameters(torch::nn::Module& module);

}  // namespace tm2::train
