#include "tests/widgets/widget_test_support.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QPixmap>
#include <QThread>
#include <QWidget>
#include <memory>

#include "core/data/demo_dataset.h"
#include "tests/support/temp_dir.h"

namespace tm2::testing {

bool waitUntil(const std::function<bool()>& done, int timeout_ms) {
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeout_ms) return false;
        QApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

QString saveScreenshot(QWidget& widget, const QString& name) {
    const QString dir = QStringLiteral(TM2_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    const QString path = QDir(dir).filePath(name + ".png");
    widget.grab().save(path);
    return path;
}

std::string tinyImageAudioDemo() {
    static std::unique_ptr<TempDir> dir;
    if (!dir) {
        dir = std::make_unique<TempDir>();
        data::DemoConfig config;
        config.kind = data::DemoKind::ImageAudio;
        config.out_dir = (dir->path() / "image-audio").string();
        config.samples_per_class = 8;
        config.speakers = 16;  // enough groups for a validation and a test split
        config.threads = 1;
        data::makeDemoDataset(config);
    }
    return (dir->path() / "image-audio").string();
}

}  // namespace tm2::testing
