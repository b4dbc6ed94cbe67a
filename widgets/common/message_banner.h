#pragma once
// An inline message strip at the top of a pane: errors from core in red,
// notices in blue. Never modal, so a failed job cannot block the window
// (or a test); the text stays until the next message or clear().

#include <QLabel>

namespace tm2::gui {

class MessageBanner : public QLabel {
    Q_OBJECT
public:
    explicit MessageBanner(QWidget* parent = nullptr);
    void showError(const QString& message);
    void showInfo(const QString& message);
    void clearMessage();
    bool isError() const { return error_; }

private:
    bool error_ = false;
};

}  // namespace tm2::gui
