#include "tests/widgets/widget_test_support.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QPixmap>
#include <QThread>
#include <QWidget>
#include <QtCharts/QChartView>
#include <memory>
#include <vector>

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

namespace {

struct ShownText {
    QString text;
    QRectF box;  // in scene coordinates
};

std::vector<ShownText> shownTexts(QChartView& view) {
    std::vector<ShownText> texts;
    if (!view.scene()) return texts;
    for (const QGraphicsItem* item : view.scene()->items()) {
        if (!item->isVisible()) continue;
        QString text;
        if (const auto* t = dynamic_cast<const QGraphicsTextItem*>(item))
            text = t->toPlainText();
        else if (const auto* t = dynamic_cast<const QGraphicsSimpleTextItem*>(item))
            text = t->text();
        if (!text.isEmpty()) texts.push_back({text, item->sceneBoundingRect()});
    }
    return texts;
}

}  // namespace

QStringList shownChartTexts(QChartView& view) {
    QStringList out;
    for (const ShownText& t : shownTexts(view)) out << t.text;
    return out;
}

QStringList overlappingChartTexts(QChartView& view) {
    const std::vector<ShownText> texts = shownTexts(view);
    QStringList pairs;
    for (std::size_t i = 0; i < texts.size(); ++i)
        for (std::size_t j = i + 1; j < texts.size(); ++j)
            // A pixel of slack: boxes of neighbouring labels touch at their edges.
            if (texts[i].box.adjusted(1, 1, -1, -1).intersects(texts[j].box.adjusted(1, 1, -1, -1)))
                pairs << texts[i].text + " / " + texts[j].text;
    return pairs;
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
