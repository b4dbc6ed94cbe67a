#include "core/data/speech_synth.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "core/base/error.h"

extern char** environ;

namespace tm2::data {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxStderrBytes = 2000;  // enough for espeak's one-line complaints

std::string describeCommand(const std::vector<std::string>& argv) {
    std::string text;
    for (const auto& arg : argv) {
        if (!text.empty()) text += ' ';
        const bool quote = arg.empty() || arg.find_first_of(" \t'\"") != std::string::npos;
        text += quote ? "'" + arg + "'" : arg;
    }
    return text;
}

// A unique, not yet used wav path; the caller removes it.
std::string makeTempWavPath(const std::string& temp_dir) {
    std::error_code ec;
    fs::path dir = temp_dir.empty() ? fs::temp_directory_path(ec) : fs::path(temp_dir);
    if (ec) dir = "/tmp";
    std::string pattern = (dir / "tm2-speech-XXXXXX.wav").string();
    const int fd = mkstemps(pattern.data(), 4);
    if (fd < 0) throw Error(dir.string() + ": cannot create a temporary wav (" + std::strerror(errno) + ")");
    close(fd);
    return pattern;
}

class SpawnActions {
public:
    SpawnActions() { posix_spawn_file_actions_init(&actions_); }
    ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;
    posix_spawn_file_actions_t* get() { return &actions_; }

private:
    posix_spawn_file_actions_t actions_;
};

struct ChildResult {
    int status = 0;
    std::string stderr_text;
};

// Runs argv[0] (PATH lookup) with stdin/stdout on /dev/null and stderr captured.
ChildResult runChild(const std::vector<std::string>& argv, const std::string& not_found_message) {
    int pipe_fds[2];
    // O_CLOEXEC so children spawned by other threads at the same time do not
    // inherit our pipe and keep it open past our child's exit.
    if (pipe2(pipe_fds, O_CLOEXEC) != 0)
        throw Error(describeCommand(argv) + ": cannot create a pipe (" + std::strerror(errno) + ")");

    SpawnActions actions;
    posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(actions.get(), 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(actions.get(), pipe_fds[1], 2);

    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);

    pid_t pid = 0;
    const int spawn_error = posix_spawnp(&pid, args[0], actions.get(), nullptr, args.data(), environ);
    close(pipe_fds[1]);
    if (spawn_error != 0) {
        close(pipe_fds[0]);
        if (spawn_error == ENOENT) throw Error(not_found_message);
        throw Error(describeCommand(argv) + ": cannot start (" + std::strerror(spawn_error) + ")");
    }

    ChildResult result;
    char buffer[512];
    for (;;) {
        const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (result.stderr_text.size() < kMaxStderrBytes)
            result.stderr_text.append(buffer, static_cast<std::size_t>(n));
    }
    close(pipe_fds[0]);
    while (waitpid(pid, &result.status, 0) < 0) {
        if (errno != EINTR)
            throw Error(describeCommand(argv) + ": cannot wait (" + std::strerror(errno) + ")");
    }
    return result;
}

std::string firstLine(const std::string& text) {
    const auto end = text.find('\n');
    return text.substr(0, end);
}

void validate(const std::string& text, const VoiceProfile& voice) {
    if (text.empty()) throw Error("speech synthesis: empty text");
    // A leading '-' would be read as an option, not as words.
    if (text.front() == '-') throw Error("speech synthesis: text '" + text + "' starts with '-'");
    if (voice.voice.empty() || voice.voice.front() == '-')
        throw Error("speech synthesis: invalid voice '" + voice.voice + "'");
    if (voice.rate_wpm < 80 || voice.rate_wpm > 450)
        throw Error("speech synthesis: rate_wpm " + std::to_string(voice.rate_wpm) + " outside 80..450");
    if (voice.pitch < 0 || voice.pitch > 99)
        throw Error("speech synthesis: pitch " + std::to_string(voice.pitch) + " outside 0..99");
    if (voice.amplitude < 0 || voice.amplitude > 200)
        throw Error("speech synthesis: amplitude " + std::to_string(voice.amplitude) + " outside 0..200");
}

struct FileRemover {
    std::string path;
    ~FileRemover() {
        std::error_code ec;
        fs::remove(path, ec);
    }
};

}  // namespace

AudioClip synthesizeSpeech(const std::string& text, const VoiceProfile& voice,
                           const SpeechSynthConfig& config) {
    validate(text, voice);
    const std::string program = config.program.empty() ? "espeak-ng" : config.program;
    const FileRemover wav{makeTempWavPath(config.temp_dir)};
    const std::vector<std::string> argv{program,
                                        "-v",
                                        voice.voice,
                                        "-s",
                                        std::to_string(voice.rate_wpm),
                                        "-p",
                                        std::to_string(voice.pitch),
                                        "-a",
                                        std::to_string(voice.amplitude),
                                        "-w",
                                        wav.path,
                                        text};
    const ChildResult child = runChild(argv, program + " not found: install the Debian package espeak-ng");
    const std::string command = describeCommand(argv);
    if (WIFSIGNALED(child.status))
        throw Error(command + ": killed by signal " + std::to_string(WTERMSIG(child.status)));
    if (!WIFEXITED(child.status) || WEXITSTATUS(child.status) != 0)
        throw Error(command + ": exit status " + std::to_string(WEXITSTATUS(child.status)) +
                    (child.stderr_text.empty() ? "" : ": " + firstLine(child.stderr_text)));
    try {
        return decodeAudio(wav.path);
    } catch (const Error& e) {
        throw Error(command + ": produced no usable audio (" + e.what() + ")");
    }
}

}  // namespace tm2::data
