#include "core/base/worker_threads.h"

#include <exception>

namespace tm2 {

std::thread startThread(std::function<void()> work) { return std::thread(std::move(work)); }

WorkerThreads::WorkerThreads(int count, const std::function<void()>& work, const ThreadFactory& factory) {
    threads_.reserve(count > 0 ? static_cast<std::size_t>(count) : 0);
    for (int i = 0; i < count; ++i) {
        try {
            threads_.push_back(factory ? factory(work) : startThread(work));
        } catch (const std::exception&) {
            // std::system_error (thread limit) or bad_alloc (stack): carry on with
            // the threads already running; the caller works too.
            break;
        }
    }
}

WorkerThreads::~WorkerThreads() { join(); }

void WorkerThreads::join() {
    for (auto& t : threads_)
        if (t.joinable()) t.join();
}

}  // namespace tm2
