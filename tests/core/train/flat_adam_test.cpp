#include "core/train/flat_adam.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>

namespace tm2::train {
namespace {

// A small conv net as the trainer builds them: conv (channels-last) → bn → relu → fc.
struct TinyNet : torch::nn::Module {
    torch::nn::Conv2d conv{torch::nn::Conv2dOptions(2, 4, 3).padding(1)};
    torch::nn::BatchNorm2d bn{4};
    torch::nn::Linear fc{4 * 5 * 5, 3};
    torch::nn::Linear unused{3, 3};  // never in the forward pass when `skip_unused`
    bool use_unused = true;

    TinyNet() {
        register_module("conv", conv);
        register_module("bn", bn);
        register_module("fc", fc);
        register_module("unused", unused);
        torch::NoGradGuard no_grad;
        conv->weight.set_data(conv->weight.contiguous(torch::MemoryFormat::ChannelsLast));
    }
    torch::Tensor forward(const torch::Tensor& x) {
        torch::Tensor y = fc(torch::relu(bn(conv(x))).flatten(1));
        return use_unused ? unused(y) : y;
    }
};

std::vector<torch::Tensor> values(torch::nn::Module& m) {
    std::vector<torch::Tensor> out;
    for (const auto& p : m.parameters()) out.push_back(p.detach().clone());
    return out;
}

// Trains two identical nets side by side, one with torch::optim::Adam and one with FlatAdam.
struct SideBySide {
    std::shared_ptr<TinyNet> ref_net, flat_net;
    std::unique_ptr<torch::optim::Adam> ref;
    std::unique_ptr<FlatAdam> flat;

    explicit SideBySide(const torch::optim::AdamOptions& options, bool use_unused = true) {
        torch::manual_seed(3);
        ref_net = std::make_shared<TinyNet>();
        torch::manual_seed(3);
        flat_net = std::make_shared<TinyNet>();
        ref_net->use_unused = flat_net->use_unused = use_unused;
        ref = std::make_unique<torch::optim::Adam>(ref_net->parameters(), options);
        flat = std::make_unique<FlatAdam>(flat_net->parameters(), options);
    }

    void step(int seed) {
        torch::manual_seed(seed);
        const torch::Tensor x = torch::randn({6, 2, 5, 5}).contiguous(torch::MemoryFormat::ChannelsLast);
        const torch::Tensor y = torch::randint(3, {6});
        ref->zero_grad();
        torch::nn::functional::cross_entropy(ref_net->forward(x), y).backward();
        ref->step();
        flat->zeroGrad();
        torch::nn::functional::cross_entropy(flat_net->forward(x), y).backward();
        flat->step();
    }

    void expectSame(const std::string& when) const {
        const auto a = values(*ref_net), b = values(*flat_net);
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            EXPECT_TRUE(torch::allclose(a[i], b[i], 1e-5, 1e-7))
                << when << ", parameter " << i << ": max difference " << (a[i] - b[i]).abs().max().item<float>();
    }
};

TEST(FlatAdam, MatchesLibTorchAdamOverSeveralSteps) {
    SideBySide run(torch::optim::AdamOptions(1e-2));
    for (int s = 0; s < 8; ++s) {
        run.step(100 + s);
        run.expectSame("step " + std::to_string(s + 1));
        EXPECT_TRUE(run.flat->flat()) << "step " << s + 1;
    }
    // The state (steps, moments) is the same too.
    const auto ref_params = run.ref_net->parameters(), flat_params = run.flat_net->parameters();
    for (std::size_t i = 0; i < ref_params.size(); ++i) {
        const auto key = [](const torch::Tensor& p) { return c10::guts::to_string(p.unsafeGetTensorImpl()); };
        const auto& a = static_cast<torch::optim::AdamParamState&>(*run.ref->state().at(key(ref_params[i])));
        const auto& b = static_cast<torch::optim::AdamParamState&>(*run.flat->state().at(key(flat_params[i])));
        EXPECT_EQ(a.step(), b.step());
        EXPECT_TRUE(torch::allclose(a.exp_avg(), b.exp_avg(), 1e-5, 1e-8));
        EXPECT_TRUE(torch::allclose(a.exp_avg_sq(), b.exp_avg_sq(), 1e-5, 1e-10));
    }
}

TEST(FlatAdam, KeepsTheParametersLayout) {
    SideBySide run(torch::optim::AdamOptions(1e-2));
    run.step(1);
    ASSERT_TRUE(run.flat->flat());
    EXPECT_TRUE(run.flat_net->conv->weight.is_contiguous(torch::MemoryFormat::ChannelsLast));
    EXPECT_TRUE(run.flat_net->conv->weight.grad().is_contiguous(torch::MemoryFormat::ChannelsLast));
    for (const auto& p : run.flat_net->parameters()) {  // each on a 64-byte boundary, as its own allocation was
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p.data_ptr()) % 64, 0u);
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p.grad().data_ptr()) % 64, 0u);
    }
}

TEST(FlatAdam, MatchesWithWeightDecay) {
    SideBySide run(torch::optim::AdamOptions(5e-3).weight_decay(0.1));
    for (int s = 0; s < 5; ++s) run.step(200 + s);
    run.expectSame("after 5 steps with weight decay");
    EXPECT_TRUE(run.flat->flat());
}

TEST(FlatAdam, AParameterWithoutGradientFallsBackToLibTorchAdam) {
    SideBySide run(torch::optim::AdamOptions(1e-2).weight_decay(0.1), /*use_unused=*/false);
    for (int s = 0; s < 4; ++s) run.step(300 + s);
    run.expectSame("after 4 steps with an unused layer");
    EXPECT_FALSE(run.flat->flat());
    EXPECT_FALSE(run.flat_net->unused->weight.grad().defined());
}

TEST(FlatAdam, ResumesFromASavedStateAsLibTorchAdamDoes) {
    SideBySide run(torch::optim::AdamOptions(1e-2));
    for (int s = 0; s < 3; ++s) run.step(400 + s);
    // Save the flat side, load it into a fresh net + optimizer, continue both.
    std::stringstream model_bytes, optimizer_bytes;
    {
        torch::serialize::OutputArchive model, optimizer;
        run.flat_net->save(model);
        run.flat->save(optimizer);
        model.save_to(model_bytes);
        optimizer.save_to(optimizer_bytes);
    }
    torch::manual_seed(99);  // different initial weights: everything must come from the files
    auto net = std::make_shared<TinyNet>();
    auto optimizer = std::make_unique<FlatAdam>(net->parameters(), torch::optim::AdamOptions(1e-2));
    {
        torch::serialize::InputArchive model, saved;
        model.load_from(model_bytes);
        net->load(model);
        saved.load_from(optimizer_bytes);
        optimizer->load(saved);
    }
    run.flat_net = net;
    run.flat = std::move(optimizer);
    for (int s = 3; s < 6; ++s) {
        run.step(400 + s);
        run.expectSame("resumed, step " + std::to_string(s + 1));
    }
    EXPECT_TRUE(run.flat->flat());
}

TEST(FlatAdam, NoticesAParameterReplacedBehindItsBack) {
    SideBySide run(torch::optim::AdamOptions(1e-2));
    run.step(500);
    ASSERT_TRUE(run.flat->flat());
    {
        torch::NoGradGuard no_grad;  // as InputArchive::read does when a module loads weights
        for (auto* net : {run.ref_net.get(), run.flat_net.get()})
            net->fc->weight.set_(torch::full_like(net->fc->weight, 0.05).contiguous());
    }
    for (int s = 1; s < 4; ++s) run.step(500 + s);
    run.expectSame("after the fc weight was replaced");
    EXPECT_TRUE(run.flat->flat());
}

}  // namespace
}  // namespace tm2::train
