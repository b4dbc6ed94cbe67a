#pragma once
// The strip under a pane's content that shows its TaskRunner: what runs, a
// progress bar with elapsed time and ETA, and Cancel.

#include <QElapsedTimer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace tm2::gui {

class TaskRunner;

class TaskPanel : public QWidget {
    Q_OBJECT
public:
    explicit TaskPanel(TaskRunner& runner, QWidget* parent = nullptr);
    QProgressBar* progressBar() const { return bar_; }
    QPushButton* cancelButton() const { return cancel_; }
    QString statusText() const;

private:
    void onProgress(const QString& stage, qulonglong done, qulonglong total, const QString& detail);
    void emptyBar();
    TaskRunner& runner_;
    QLabel* status_;
    QProgressBar* bar_;
    QPushButton* cancel_;
    QElapsedTimer timer_;
    QString stage_;
    QElapsedTimer stage_timer_;
};

// "1:05" / "12 s": a short duration for ETA and elapsed labels.
QString formatDuration(double seconds);

}  // namespace tm2::gui
