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

}  // namespace
}  // namespace tm2::train
