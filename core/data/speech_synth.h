#pragma once
// Speech synthesis by running espeak-ng as a child process (argv vector, no
// shell), reading back the wav it writes.

#include <string>

#include "core/data/audio_decoder.h"

namespace tm2::data {

struct VoiceProfile {
    std::string voice = "en-us";  // espeak-ng voice, optionally "+variant" ("en-gb-scotland+m3")
    int rate_wpm = 160;           // -s: words per minute (espeak accepts 80..450)
    int pitch = 50;               // -p: 0..99
    int amplitude = 100;          // -a: 0..200
};

struct SpeechSynthConfig {
    std::string program = "espeak-ng";  // looked up on PATH unless it contains a '/'
    std::string temp_dir;               // where the child writes its wav; empty = system temp dir
};

// `text` spoken with `voice`, at espeak-ng's own rate (22050 Hz), mono.
// Throws tm2::Error naming the command when the program is missing
// ("espeak-ng not found: install the Debian package espeak-ng"), fails, or
// writes no audio. Safe to call from several threads at once.
AudioClip synthesizeSpeech(const std::string& text, const VoiceProfile& voice,
                           const SpeechSynthConfig& config = {});

}  // namespace tm2::data
