#include "widgets/common/message_banner.h"

namespace tm2::gui {

MessageBanner::MessageBanner(QWidget* parent) : QLabel(parent) {
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setObjectName("messageBanner");
    hide();
}

void MessageBanner::showError(const QString& message) {
    error_ = true;
    setStyleSheet("QLabel { background: #fde8e8; color: #8a1111; border: 1px solid #e0a0a0; padding: 6px; }");
    setText(message);
    show();
}

void MessageBanner::showInfo(const QString& message) {
    error_ = false;
    setStyleSheet("QLabel { background: #e8f0fd; color: #11348a; border: 1px solid #a0b4e0; padding: 6px; }");
    setText(message);
    show();
}

void MessageBanner::clearMessage() {
    error_ = false;
    clear();
    hide();
}

}  // namespace tm2::gui
