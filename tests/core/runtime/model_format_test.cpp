#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <random>

#include "core/base/error.h"
#include "core/runtime/crc32.h"
#include "core/runtime/model_format.h"
#include "tests/core/runtime/tiny_model.h"
#include "tests/support/temp_dir.h"

namespace tm2::runtime {
namespace {

using ::testing::HasSubstr;

// The CRC-32 lives at bytes 20..23 (after magic, version, section count, payload size).
void refreshChecksum(std::vector<std::uint8_t>& bytes) {
    const std::uint32_t crc = crc32(bytes.data() + 24, bytes.size() - 24);
    for (int i = 0; i < 4; ++i) bytes[20 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(crc >> (8 * i));
}

std::string parseError(const std::vector<std::uint8_t>& bytes) {
    try {
        parseModel(bytes.data(), bytes.size(), "m.tmn");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

std::string readError(const std::string& path) {
    try {
        readModel(path);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(Crc32Test, MatchesTheStandardCheckValue) {
    // The CRC-32/ISO-HDLC check value of "123456789" (zlib.crc32 gives the same).
    EXPECT_EQ(crc32("123456789", 9), 0xCBF43926U);
    EXPECT_EQ(crc32("", 0), 0U);
}

TEST(ModelFormatTest, RoundTripsEveryField) {
    const Model m = fixtures::tinyModel();
    tm2::testing::TempDir dir;
    const std::string path = dir.file("m.tmn");
    writeModel(path, m);
    const Model back = readModel(path);
    ASSERT_EQ(back.tensors.size(), m.tensors.size());
    EXPECT_EQ(back.tensors[1].name, "conv");
    EXPECT_FLOAT_EQ(back.tensors[0].scale, 0.5f);
    EXPECT_EQ(back.tensors[0].zero_point, 2);
    ASSERT_EQ(back.ops.size(), 4U);
    EXPECT_EQ(back.ops[0].weightCodes(), m.ops[0].weights);  // int4 packed, read back as codes
    EXPECT_EQ(back.ops[0].weight_bits, 4);
    EXPECT_EQ(back.ops[3].weightCodes(), m.ops[3].weights);
    EXPECT_EQ(back.ops[0].bias, m.ops[0].bias);
    EXPECT_EQ(back.ops[0].multiplier, m.ops[0].multiplier);
    EXPECT_EQ(back.ops[3].output_scale, m.ops[3].output_scale);
    EXPECT_EQ(back.inputs[0].modality, "image");
    EXPECT_EQ(back.frontend.classes, (std::vector<std::string>{"a", "b", "c"}));
    ASSERT_EQ(back.frontend.inputs.size(), 1U);
    EXPECT_EQ(back.frontend.inputs[0].kind, InputKind::Image);
    EXPECT_EQ(back.frontend.inputs[0].mean, std::vector<float>{0.25f});
    EXPECT_EQ(back.frontend.inputs[0].std, std::vector<float>{2.0f});
}

TEST(ModelFormatTest, RoundTripsEveryAudioFrontEndField) {
    Model m = fixtures::tinyModel();
    InputFrontEnd audio;
    audio.modality = "cough";
    audio.kind = InputKind::Audio;
    audio.mean = {1.0f, -2.5f};
    audio.std = {0.5f, 3.0f};
    audio.sample_rate = 8000;
    audio.window_s = 0.8;
    audio.trim_silence = true;
    audio.trim_db = -30.0;
    audio.mfcc.sample_rate = 8000;
    audio.mfcc.n_fft = 256;
    audio.mfcc.hop_length = 128;
    audio.mfcc.win_length = 200;
    audio.mfcc.window = WindowKind::Hamming;
    audio.mfcc.center = false;
    audio.mfcc.n_mels = 32;
    audio.mfcc.fmin = 20.0;
    audio.mfcc.fmax = 3800.0;
    audio.mfcc.mel_scale = MelScale::Htk;
    audio.mfcc.slaney_norm = false;
    audio.mfcc.power = 1.0;
    audio.mfcc.log = LogKind::Natural;
    audio.mfcc.top_db = 60.0;
    audio.mfcc.n_mfcc = 12;
    audio.mfcc.deltas = 2;
    audio.mfcc.delta_width = 5;
    m.frontend.inputs.push_back(audio);
    const std::vector<std::uint8_t> bytes = serializeModel(m);
    const Model back = parseModel(bytes.data(), bytes.size());
    const InputFrontEnd* b = back.frontend.find("cough");
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->kind, InputKind::Audio);
    EXPECT_EQ(b->mean, audio.mean);
    EXPECT_EQ(b->std, audio.std);
    EXPECT_EQ(b->sample_rate, 8000);
    EXPECT_DOUBLE_EQ(b->window_s, 0.8);
    EXPECT_TRUE(b->trim_silence);
    EXPECT_DOUBLE_EQ(b->trim_db, -30.0);
    const MfccConfig& c = b->mfcc;
    EXPECT_EQ(c.sample_rate, 8000);
    EXPECT_EQ(c.n_fft, 256);
    EXPECT_EQ(c.hop_length, 128);
    EXPECT_EQ(c.win_length, 200);
    EXPECT_EQ(c.window, WindowKind::Hamming);
    EXPECT_FALSE(c.center);
    EXPECT_EQ(c.n_mels, 32);
    EXPECT_DOUBLE_EQ(c.fmin, 20.0);
    EXPECT_DOUBLE_EQ(c.fmax, 3800.0);
    EXPECT_EQ(c.mel_scale, MelScale::Htk);
    EXPECT_FALSE(c.slaney_norm);
    EXPECT_DOUBLE_EQ(c.power, 1.0);
    EXPECT_EQ(c.log, LogKind::Natural);
    EXPECT_DOUBLE_EQ(c.top_db, 60.0);
    EXPECT_EQ(c.n_mfcc, 12);
    EXPECT_EQ(c.deltas, 2);
    EXPECT_EQ(c.delta_width, 5);
}

TEST(ModelFormatTest, CarriesNoJsonTextAndNoHostPaths) {
    // The front-end is typed: no '{' of a JSON document, no '/' of a path in the file.
    const std::vector<std::uint8_t> bytes = serializeModel(fixtures::tinyModel());
    const std::string text(bytes.begin(), bytes.end());
    EXPECT_EQ(text.find("{\""), std::string::npos);
    EXPECT_EQ(text.find('/'), std::string::npos);
}

TEST(ModelFormatTest, RefusesAVersion1TextFrontEndNamingTheVersion) {
    // A format-1 file as the previous exporter wrote it: the same sections, the
    // front-end as "key=value" text in section 5. Built by re-labelling a format-2 file.
    std::vector<std::uint8_t> bytes = serializeModel(fixtures::tinyModel());
    bytes[4] = 1;  // version (u32 LE after the magic)
    // The section table starts after the 24-byte header; entries are kind(4) offset(8) size(8).
    const std::size_t sections = bytes[8];
    bool relabelled = false;
    for (std::size_t i = 0; i < sections; ++i) {
        const std::size_t at = 24 + 20 * i;
        if (bytes[at] == 6) bytes[at] = 5, relabelled = true;
    }
    ASSERT_TRUE(relabelled);
    refreshChecksum(bytes);
    try {
        parseModel(bytes.data(), bytes.size(), "old.tmn");
        FAIL() << "a version-1 text front-end must be refused";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("old.tmn: format version 1 model with its front-end settings as text"));
        EXPECT_THAT(e.what(), HasSubstr("export it again"));
    }
}

TEST(ModelFormatTest, FrontEndCountsAreCheckedBeforeAllocating) {
    // 0xFFFFFFFF classes in a 4-byte section: refused by the count check, not by a failed allocation.
    const std::uint8_t section[] = {0xFF, 0xFF, 0xFF, 0xFF};
    try {
        readFrontEnd(section, sizeof section, "m.tmn");
        FAIL();
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("m.tmn: front-end: class count 4294967295 does not fit"));
    }
}

TEST(ModelFormatTest, PacksInt4WeightsTwoPerByte) {
    Model m = fixtures::tinyModel();
    const std::size_t int4_size = serializeModel(m).size();
    m.ops[0].weight_bits = 8;
    // 18 weights: 9 bytes packed vs 18 bytes, both padded to 4-byte alignment (12 vs 20).
    EXPECT_EQ(serializeModel(m).size() - int4_size, 8U);
}

TEST(ModelFormatTest, PacksInt2WeightsFourPerByteAndReadsThemBack) {
    Model m = fixtures::tinyModel();
    const std::size_t int4_size = serializeModel(m).size();
    m.ops[0].weight_bits = 2;
    for (auto& w : m.ops[0].weights) w = static_cast<std::int8_t>(std::clamp<int>(w, -2, 1));
    const std::vector<std::uint8_t> bytes = serializeModel(m);
    // 18 weights: 5 bytes at four per byte vs 9 at two, padded to 4-byte alignment (8 vs 12).
    EXPECT_EQ(int4_size - bytes.size(), 4U);
    const Model back = parseModel(bytes.data(), bytes.size());
    EXPECT_EQ(back.ops[0].weight_bits, 2);
    EXPECT_EQ(back.ops[0].weights, m.ops[0].weights);
}

TEST(ModelFormatTest, RefusesAnInt2WeightOutsideItsRangeWhenWriting) {
    Model m = fixtures::tinyModel();
    m.ops[0].weight_bits = 2;  // the fixture's int4 codes reach past −2..1
    EXPECT_THROW(serializeModel(m), Error);
}

// The byte of op 0's weight width in a serialized model: the ops section (kind 3 in the
// section table after the 24-byte header), its op count (u32), then op 0's u8 type, name
// (u32 length + bytes), input count (u32), inputs (12 bytes each), output (u32), kernel_h,
// kernel_w, stride, padding (u32 each), relu (u8), then weight bits.
std::size_t firstOpWeightBitsOffset(const std::vector<std::uint8_t>& bytes, const Op& op) {
    auto get64 = [&](std::size_t at) {
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= std::uint64_t{bytes[at + static_cast<std::size_t>(i)]} << (8 * i);
        return v;
    };
    for (std::size_t entry = 24; entry + 20 <= bytes.size(); entry += 20)
        if (bytes[entry] == 3) {
            const std::size_t ops = 24 + get64(entry + 4);
            return ops + 4 + 1 + 4 + op.name.size() + 4 + 12 * op.inputs.size() + 4 + 16 + 1;
        }
    return 0;
}

TEST(ModelFormatTest, RefusesWeightWidthsTheRuntimeDoesNotRunNamingTheWidth) {
    const Model m = fixtures::tinyModel();
    const std::vector<std::uint8_t> original = serializeModel(m);
    const std::size_t at = firstOpWeightBitsOffset(original, m.ops[0]);
    ASSERT_EQ(original.at(at), 4);  // the fixture's int4 conv: the offset is right
    for (int bits : {3, 5, 6, 0, 16}) {
        std::vector<std::uint8_t> bytes = original;
        bytes[at] = static_cast<std::uint8_t>(bits);
        refreshChecksum(bytes);
        EXPECT_THAT(parseError(bytes),
                    HasSubstr("weight bits " + std::to_string(bits) + " (this runtime reads 2, 4 or 8)"));
    }
}

TEST(ModelFormatTest, RejectsEveryTruncation) {
    const std::vector<std::uint8_t> bytes = serializeModel(fixtures::tinyModel());
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        const std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
        EXPECT_NE(parseError(cut), "") << "length " << n;
    }
}

TEST(ModelFormatTest, RejectsACorruptedByteByChecksum) {
    std::vector<std::uint8_t> bytes = serializeModel(fixtures::tinyModel());
    bytes[bytes.size() / 2] ^= 0x40;
    EXPECT_THAT(parseError(bytes), HasSubstr("checksum"));
}

TEST(ModelFormatTest, RejectsAnotherVersionAndAnotherMagic) {
    std::vector<std::uint8_t> bytes = serializeModel(fixtures::tinyModel());
    bytes[4] = 3;  // version 3
    EXPECT_THAT(parseError(bytes), HasSubstr("version 3 is not supported"));
    bytes[4] = 1;
    bytes[0] = 'X';
    EXPECT_THAT(parseError(bytes), HasSubstr("not a .tmn model"));
}

TEST(ModelFormatTest, RejectsAHostileShapeEvenWithAValidChecksum) {
    std::vector<std::uint8_t> bytes = serializeModel(fixtures::tinyModel());
    // Tensors section starts right after header (24) + 5 section entries (100): count (4),
    // name "input" (4 + 5), type (1), then c — make c huge.
    const std::size_t c_at = 24 + 100 + 4 + 4 + 5 + 1;
    ASSERT_EQ(bytes[c_at], 1);
    bytes[c_at + 3] = 0x7F;
    refreshChecksum(bytes);
    EXPECT_THAT(parseError(bytes), HasSubstr("too large"));
}

// Each side within limits, but 2^26 · 2^26 · 2^12 wraps to 0 in 64 bits: once
// accepted, max-pool wrote past the arena (found by tests/fuzz/tmn_fuzz.cpp).
TEST(ModelFormatTest, RejectsAShapeWhoseElementCountWrapsAround) {
#ifdef TM2_SOURCE_DIR
    std::ifstream in(std::string(TM2_SOURCE_DIR) + "/tests/fuzz/tmn_corpus/hostile_wrapping_shape.tmn", std::ios::binary);
    ASSERT_TRUE(in) << "fuzz seed missing";
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_THAT(parseError(bytes), HasSubstr("too large"));
#else
    GTEST_SKIP() << "needs the source tree (TM2_SOURCE_DIR)";
#endif
}

TEST(ModelFormatTest, RejectsInconsistentWeightsWhenWriting) {
    Model m = fixtures::tinyModel();
    m.ops[3].weights.pop_back();
    try {
        serializeModel(m);
        FAIL() << "accepted 23 weights for 3 × 8";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("'classifier'"));
        EXPECT_THAT(e.what(), HasSubstr("weights has 23 values, expected 24"));
    }
}

TEST(ModelFormatTest, RoundTripsGatedFusionsLookupAndMulOps) {
    const Model m = fixtures::gatedModel();
    const Model back = parseModel(serializeModel(m).data(), serializeModel(m).size(), "gated.tmn");
    ASSERT_EQ(back.ops.size(), 4U);
    EXPECT_EQ(back.ops[1].type, OpType::Lookup);
    EXPECT_EQ(back.ops[1].bias, m.ops[1].bias);
    EXPECT_EQ(back.ops[2].type, OpType::Mul);
    ASSERT_EQ(back.ops[2].inputs.size(), 2U);
    EXPECT_EQ(back.ops[2].inputs[1].tensor, 2U);
    EXPECT_EQ(back.ops[2].multiplier, m.ops[2].multiplier);
}

TEST(ModelFormatTest, RejectsALookupTableThatMissesInputCodes) {
    Model m = fixtures::gatedModel();
    m.ops[1].bias.pop_back();  // code 255 would read past the table
    try {
        validateModel(m, "gated.tmn");
        FAIL() << "accepted a 255-entry table for 8-bit codes";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("lookup"));
        EXPECT_THAT(e.what(), HasSubstr("lookup table has 255 values, expected 256"));
    }
}

TEST(ModelFormatTest, RejectsALookupEntryOutsideTheOutputCodes) {
    Model m = fixtures::gatedModel();
    m.tensors[2].bits = 4;  // codes 0..15, yet the table reaches 255
    m.tensors[2].zero_point = 0;
    EXPECT_THROW(validateModel(m, "gated.tmn"), Error);
}

TEST(ModelFormatTest, RejectsAMulOfUnequalLengthsOrWithoutItsFactor) {
    Model unequal = fixtures::gatedModel();
    unequal.ops[2].inputs[1].tensor = 4;  // the int32 logits: 2 elements, and not uint8
    EXPECT_THROW(validateModel(unequal, "gated.tmn"), Error);
    Model one_input = fixtures::gatedModel();
    one_input.ops[2].inputs.pop_back();
    try {
        validateModel(one_input, "gated.tmn");
        FAIL() << "accepted a mul of one input";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("needs two inputs"));
    }
    Model no_factor = fixtures::gatedModel();
    no_factor.ops[2].shift = {0};
    EXPECT_THROW(validateModel(no_factor, "gated.tmn"), Error);
}

TEST(ModelFormatTest, RoundTripsFilmsAddAndRejectsAnAddWithoutItsFactors) {
    const Model m = fixtures::filmModel();
    const std::vector<std::uint8_t> bytes = serializeModel(m);
    const Model back = parseModel(bytes.data(), bytes.size(), "film.tmn");
    ASSERT_EQ(back.ops[3].type, OpType::Add);
    EXPECT_EQ(back.ops[3].inputs[1].multiplier, m.ops[3].inputs[1].multiplier);
    Model bad = fixtures::filmModel();
    bad.ops[3].inputs[1].shift = 63;
    try {
        validateModel(bad, "film.tmn");
        FAIL() << "accepted a shift of 63";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("add"));
        EXPECT_THAT(e.what(), HasSubstr("shift 63"));
    }
    Model one_input = fixtures::filmModel();
    one_input.ops[3].inputs.pop_back();
    EXPECT_THROW(validateModel(one_input, "film.tmn"), Error);
}

TEST(ModelFormatTest, RoundTripsAttentionsSoftmaxAndBroadcastMul) {
    const Model m = fixtures::attentionModel();
    const std::vector<std::uint8_t> bytes = serializeModel(m);
    const Model back = parseModel(bytes.data(), bytes.size(), "attention.tmn");
    ASSERT_EQ(back.ops.size(), 5U);
    EXPECT_EQ(back.ops[1].type, OpType::Softmax);
    EXPECT_STREQ(toString(back.ops[1].type), "softmax");
    EXPECT_EQ(back.ops[1].bias, m.ops[1].bias);
    EXPECT_TRUE(mulBroadcasts(back.ops[3]));
    EXPECT_EQ(mulBroadcastIndex(back.ops[3]), 1U);
    EXPECT_FALSE(mulBroadcasts(fixtures::gatedModel().ops[2]));  // gated's mul stays elementwise
}

std::string validationError(const Model& m) {
    try {
        validateModel(m, "attention.tmn");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(ModelFormatTest, RejectsASoftmaxTableThatMissesDistancesOrLeavesTheFixedPoint) {
    Model short_table = fixtures::attentionModel();
    short_table.ops[1].bias.pop_back();  // distance 255 would read past the table
    EXPECT_THAT(validationError(short_table), HasSubstr("softmax table has 255 values, expected 256"));
    Model big = fixtures::attentionModel();
    big.ops[1].bias[7] = (1 << 15) + 1;  // above exp(0) = 2^15: no exporter writes it
    EXPECT_THAT(validationError(big), HasSubstr("softmax table entry 32769 outside 0..32768"));
    Model zero = fixtures::attentionModel();
    zero.ops[1].bias[0] = 0;  // Σe could be 0: a division by zero
    EXPECT_THAT(validationError(zero), HasSubstr("softmax table[0] is 0"));
    Model narrow = fixtures::attentionModel();
    narrow.tensors[3].bits = 4;  // weights reach 255
    EXPECT_THAT(validationError(narrow), HasSubstr("output must be 8-bit"));
    Model two_inputs = fixtures::attentionModel();
    two_inputs.ops[1].inputs.push_back({0});
    EXPECT_THAT(validationError(two_inputs), HasSubstr("'fusion.attention.softmax'"));
}

TEST(ModelFormatTest, RejectsABroadcastMulPastItsWeights) {
    Model m = fixtures::attentionModel();
    m.ops[3].padding = 3;  // element 2 of the 2 weights
    EXPECT_THAT(validationError(m), HasSubstr("broadcasts element 2 (padding 3) of a 2-element input"));
    Model unequal = fixtures::attentionModel();
    unequal.tensors[4].c = 1;  // audio's product: 1 element for 2 features
    EXPECT_THAT(validationError(unequal), HasSubstr("the first with the output's element count"));
}

TEST(ModelFormatTest, SurvivesRandomMutationsWithValidChecksums) {
    // A light fuzz: flip bytes, fix the checksum so the parser goes deep; it must
    // accept or throw tm2::Error, never crash (run under ASan to catch reads out of bounds).
    const std::vector<std::uint8_t> original = serializeModel(fixtures::tinyModel());
    std::mt19937 rng(5);
    std::uniform_int_distribution<std::size_t> where(24, original.size() - 1);
    std::uniform_int_distribution<int> value(0, 255);
    int rejected = 0;
    for (int trial = 0; trial < 3000; ++trial) {
        std::vector<std::uint8_t> bytes = original;
        for (int k = 0; k < 1 + trial % 4; ++k) bytes[where(rng)] = static_cast<std::uint8_t>(value(rng));
        refreshChecksum(bytes);
        if (!parseError(bytes).empty()) ++rejected;
    }
    EXPECT_GT(rejected, 100);
}

TEST(ModelFormatTest, NamesTheFileWhenItIsMissing) {
    EXPECT_THROW(readModel("/nonexistent/m.tmn"), Error);
}

TEST(ModelFormatTest, ReadModelRefusesDevicesAndFoldersInsteadOfReadingWithoutEnd) {
    // /dev/zero never ends: a reader that reads to the end fills memory with zeros.
    EXPECT_THAT(readError("/dev/zero"), HasSubstr("/dev/zero: cannot"));
    testing::TempDir dir;
    EXPECT_THAT(readError(dir.path().string()), HasSubstr("cannot"));
}

}  // namespace
}  // namespace tm2::runtime
