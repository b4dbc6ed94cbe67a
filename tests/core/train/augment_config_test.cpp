#include "core/train/augment_config.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/train/train_config.h"

namespace tm2::train {
namespace {

TEST(AugmentConfigTest, IsOffByDefaultAndOffParsesToTheDefault) {
    EXPECT_FALSE(AugmentConfig{}.enabled());
    EXPECT_FALSE(parseAugment("off").enabled());
    EXPECT_FALSE(parseAugment("").enabled());
    EXPECT_EQ(toText(AugmentConfig{}), "off");
}

TEST(AugmentConfigTest, ItemsSetTheirFieldsAndTheTextReadsBackTheSame) {
    const AugmentConfig c = parseAugment(
        "time-mask=3:0.2,freq-mask=1:0.25,shift=0.05,gain=4,image-shift=0.1,"
        "rotate=15,scale=0.2,hflip,vflip");
    EXPECT_EQ(c.time_masks, 3);
    EXPECT_DOUBLE_EQ(c.time_mask_fraction, 0.2);
    EXPECT_EQ(c.freq_masks, 1);
    EXPECT_DOUBLE_EQ(c.freq_mask_fraction, 0.25);
    EXPECT_DOUBLE_EQ(c.time_shift, 0.05);
    EXPECT_DOUBLE_EQ(c.gain_db, 4);
    EXPECT_DOUBLE_EQ(c.image_shift, 0.1);
    EXPECT_DOUBLE_EQ(c.rotate_deg, 15);
    EXPECT_DOUBLE_EQ(c.scale, 0.2);
    EXPECT_TRUE(c.hflip && c.vflip);
    EXPECT_EQ(toText(parseAugment(toText(c))), toText(c));
    EXPECT_EQ(nlohmann::json(parseAugment(toText(c))), nlohmann::json(c));
}

TEST(AugmentConfigTest, PresetsCoverTheirModalityOnlyAndNeverFlip) {
    const AugmentConfig audio = parseAugment("audio");
    EXPECT_TRUE(audio.audioEnabled());
    EXPECT_FALSE(audio.imageEnabled());
    const AugmentConfig image = parseAugment("image");
    EXPECT_FALSE(image.audioEnabled());
    EXPECT_TRUE(image.imageEnabled());
    EXPECT_FALSE(image.hflip || image.vflip);
    const AugmentConfig on = parseAugment("on");
    EXPECT_TRUE(on.audioEnabled() && on.imageEnabled());
    // Later items override: the preset without its gain.
    EXPECT_EQ(parseAugment("audio,gain=0").gain_db, 0);
    EXPECT_EQ(parseAugment("audio,gain=0").time_masks, 2);
}

TEST(AugmentConfigTest, BadItemsNameTheItemAndTheRule) {
    auto message = [](const std::string& text) {
        try {
            parseAugment(text);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message("wobble").find("\"wobble\": unknown"), std::string::npos) << message("wobble");
    EXPECT_NE(message("gain=loud").find("\"loud\" is not a number"), std::string::npos);
    EXPECT_NE(message("time-mask=2").find("expected N:F"), std::string::npos);
    EXPECT_NE(message("gain").find("expected gain=VALUE"), std::string::npos);
    EXPECT_NE(message("scale=1.5").find("train.augment.scale must be in [0, 1)"), std::string::npos);
}

TEST(AugmentConfigTest, TravelsWithTheTrainConfigAndOlderConfigsReadAsOff) {
    TrainConfig c;
    c.augment = parseAugment("audio,hflip");
    const nlohmann::json j = c;
    ASSERT_TRUE(j.contains("augment"));
    EXPECT_EQ(j["augment"]["gain_db"], 6.0);
    const TrainConfig back = j.get<TrainConfig>();
    EXPECT_EQ(toText(back.augment), toText(c.augment));

    nlohmann::json old = j;
    old.erase("augment");
    EXPECT_FALSE(old.get<TrainConfig>().augment.enabled());
    old["augment"] = {{"gain_db", "six"}};
    EXPECT_THROW(old.get<TrainConfig>(), Error);
}

TEST(AugmentConfigTest, NoiseItemsSetTheNoiseFieldsAndReadBackTheSame) {
    const AugmentConfig c = parseAugment("noise=5:20");
    EXPECT_TRUE(c.noiseEnabled());
    EXPECT_TRUE(c.enabled());
    EXPECT_FALSE(c.batchEnabled());  // noise works at extraction, not on batches
    EXPECT_EQ(c.noise_copies, 1);    // `noise` alone asks for one copy
    EXPECT_DOUBLE_EQ(c.noise_snr_low_db, 5);
    EXPECT_DOUBLE_EQ(c.noise_snr_high_db, 20);
    EXPECT_EQ(toText(c), "noise=5:20");

    const AugmentConfig d = parseAugment("noise-copies=3,noise=-5:10.5,noise-color=pink");
    EXPECT_EQ(d.noise_copies, 3);  // `noise` keeps a count already asked for
    EXPECT_DOUBLE_EQ(d.noise_snr_low_db, -5);
    EXPECT_DOUBLE_EQ(d.noise_snr_high_db, 10.5);
    EXPECT_EQ(d.noise_color, "pink");
    EXPECT_EQ(toText(d), "noise=-5:10.5,noise-copies=3,noise-color=pink");
    EXPECT_EQ(nlohmann::json(parseAugment(toText(d))), nlohmann::json(d));

    const AugmentConfig e = parseAugment("audio,noise=0:20,noise-copies=2,noise-dir=/data/noise");
    EXPECT_EQ(e.noise_dir, "/data/noise");
    EXPECT_EQ(toText(parseAugment(toText(e))), toText(e));
    const nlohmann::json j = e;
    EXPECT_EQ(j["noise_copies"], 2);
    EXPECT_EQ(j["noise_dir"], "/data/noise");
    EXPECT_EQ(j.get<AugmentConfig>().noise_dir, "/data/noise");
    EXPECT_FALSE(parseAugment("noise=0:20,noise-copies=0").enabled());
    // The presets never add noise copies (they cost extraction time and disk).
    EXPECT_FALSE(parseAugment("on").noiseEnabled());
}

TEST(AugmentConfigTest, BadNoiseSettingsNameTheFieldAndTheRule) {
    auto message = [](const std::string& text) {
        try {
            parseAugment(text);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message("noise=20").find("expected noise=LO:HI"), std::string::npos) << message("noise=20");
    EXPECT_NE(message("noise=20:5").find("train.augment.noise_snr_high_db must be in [noise_snr_low_db"),
              std::string::npos)
        << message("noise=20:5");
    EXPECT_NE(message("noise=-40:0").find("train.augment.noise_snr_low_db"), std::string::npos);
    EXPECT_NE(message("noise-copies=1.5").find("K must be a whole number"), std::string::npos);
    EXPECT_NE(message("noise-copies=17").find("K must be a whole number 0..16"), std::string::npos);
    EXPECT_NE(message("noise=0:9,noise-color=purple").find("train.augment.noise_color must be one of"),
              std::string::npos);
    EXPECT_NE(message("noise-dir=/n").find("train.augment.noise_dir is set but noise_copies is 0"),
              std::string::npos);
    EXPECT_NE(message("noise=0:9,noise-dir=/n,noise-color=white").find("applies to generated noise only"),
              std::string::npos);
    AugmentConfig bad;
    bad.noise_copies = -1;
    try {
        bad.validate();
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("train.augment.noise_copies"), std::string::npos) << e.what();
    }
}

TEST(AugmentConfigTest, ConfigsWrittenBeforeNoiseMixingReadAsNoCopies) {
    nlohmann::json old = AugmentConfig{};
    for (const char* key :
         {"noise_copies", "noise_snr_low_db", "noise_snr_high_db", "noise_color", "noise_dir"})
        old.erase(key);
    old["gain_db"] = 6.0;
    const AugmentConfig back = old.get<AugmentConfig>();
    EXPECT_FALSE(back.noiseEnabled());
    EXPECT_DOUBLE_EQ(back.gain_db, 6.0);
    old["noise_copies"] = "two";
    EXPECT_THROW(old.get<AugmentConfig>(), Error);
}

}  // namespace
}  // namespace tm2::train
