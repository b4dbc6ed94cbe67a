#pragma once
// MFCC settings. Conventions follow librosa.feature.mfcc (centred frames with
// zero padding, Slaney-style area-normalised mel filters, power spectrum,
// power_to_db with ref=1, amin=1e-10, top_db=80, orthonormal DCT-II); the
// sizes default to speech-style values (16 kHz, 512-point FFT, 10 ms hop,
// 40 mels, 13 coefficients) rather than librosa's music-style 2048/512/128/20.
// Standard library only: the deployable runtime computes the network's input
// with it. JSON (de)serialisation lives in core/dsp/mfcc_config.h.

namespace tm2::runtime {

enum class WindowKind { Hann, Hamming };
enum class MelScale { Slaney, Htk };
enum class LogKind { Decibel, Natural };

struct MfccConfig {
    int sample_rate = 16000;   // Hz; input must already be at this rate
    int n_fft = 512;           // FFT size in samples
    int hop_length = 160;      // samples between frame starts
    int win_length = 0;        // window length in samples; 0 = n_fft
    WindowKind window = WindowKind::Hann;  // periodic ("fftbins") as librosa
    bool center = true;        // pad n_fft/2 zeros both sides (librosa pad_mode="constant")
    int n_mels = 40;
    double fmin = 0.0;         // Hz
    double fmax = 0.0;         // Hz; 0 = sample_rate / 2
    MelScale mel_scale = MelScale::Slaney;
    bool slaney_norm = true;   // area-normalise each triangle (librosa norm="slaney")
    double power = 2.0;        // 2 = power spectrum, 1 = magnitude
    LogKind log = LogKind::Decibel;
    double top_db = 80.0;      // dB floor below the peak; <= 0 disables (decibel only)
    int n_mfcc = 13;
    int deltas = 0;            // 0: none, 1: + delta, 2: + delta and delta-delta
    int delta_width = 9;       // librosa.feature.delta default, odd, >= 3

    int effectiveWinLength() const { return win_length > 0 ? win_length : n_fft; }
    double effectiveFmax() const { return fmax > 0.0 ? fmax : sample_rate / 2.0; }
    // Number of output frames for `samples` input samples.
    int frameCount(long long samples) const;
    // Coefficients per frame including deltas: n_mfcc * (1 + deltas).
    int featureCount() const { return n_mfcc * (1 + deltas); }
    // Throws tm2::Error naming the offending field ("mfcc.n_mels must be > 0").
    void validate() const;
    // Throws tm2::Error naming hop_length when `samples` would give more frames × values
    // (output plus log-mel scratch) than one recording's MFCC may take; call before allocating.
    void checkSignalLength(long long samples) const;
};

// The names the JSON form uses ("hann", "slaney", "db", …); parse* return false on an unknown name.
const char* toString(WindowKind kind);
const char* toString(MelScale scale);
const char* toString(LogKind kind);
bool parseWindowKind(const char* name, WindowKind& out);
bool parseMelScale(const char* name, MelScale& out);
bool parseLogKind(const char* name, LogKind& out);

}  // namespace tm2::runtime
