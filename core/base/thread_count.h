#pragma once
// The worker-thread setting shared by all of core: 0 means "all cores".
// (Debian's LibTorch defaults to ONE intra-op thread on this system, so every
// entry point resolves the setting explicitly instead of trusting defaults.)

namespace tm2 {

int resolveThreadCount(int requested);

}  // namespace tm2
