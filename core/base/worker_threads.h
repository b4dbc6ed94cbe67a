#pragma once
// Helper threads for a job that the calling thread works on too. Creating a
// thread can fail (std::system_error once the process or user hits its thread
// limit); a std::vector<std::thread> that already holds running threads then
// unwinds into std::terminate. Here a failure only means fewer helpers: the
// threads that did start keep working and are always joined.

#include <functional>
#include <thread>
#include <vector>

namespace tm2 {

// Makes one thread running `work`; may throw std::system_error. Tests inject
// one that fails to see the pool degrade instead of terminating.
using ThreadFactory = std::function<std::thread(std::function<void()> work)>;

// std::thread(work).
std::thread startThread(std::function<void()> work);

class WorkerThreads {
public:
    // Starts up to `count` threads running `work`; stops at the first one the
    // factory cannot create (an empty factory means startThread).
    WorkerThreads(int count, const std::function<void()>& work, const ThreadFactory& factory = {});
    ~WorkerThreads();  // joins
    WorkerThreads(const WorkerThreads&) = delete;
    WorkerThreads& operator=(const WorkerThreads&) = delete;

    int started() const { return static_cast<int>(threads_.size()); }
    void join();

private:
    std::vector<std::thread> threads_;
};

}  // namespace tm2
