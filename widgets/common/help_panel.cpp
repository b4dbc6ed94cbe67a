#include "widgets/common/help_panel.h"

#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace tm2::gui {

HelpPanel::HelpPanel(const QString& html, QWidget* parent) : QWidget(parent) {
    setObjectName("helpPanel");
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    toggle_ = new QToolButton(this);
    toggle_->setObjectName("helpToggle");
    toggle_->setText(tr("What these figures mean"));
    toggle_->setCheckable(true);
    toggle_->setAutoRaise(true);
    toggle_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toggle_->setArrowType(Qt::RightArrow);
    layout->addWidget(toggle_, 0, Qt::AlignLeft);
    text_ = new QLabel(html, this);
    text_->setObjectName("helpText");
    text_->setWordWrap(true);
    text_->setTextFormat(Qt::RichText);
    text_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text_->setStyleSheet("QLabel { background: #f4f6fa; border: 1px solid #d0d6e2; padding: 6px; }");
    text_->hide();
    layout->addWidget(text_);
    connect(toggle_, &QToolButton::toggled, this, &HelpPanel::setOpen);
}

QString HelpPanel::text() const { return text_->text(); }
bool HelpPanel::isOpen() const { return !text_->isHidden(); }

void HelpPanel::setOpen(bool open) {
    toggle_->setChecked(open);
    toggle_->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    text_->setVisible(open);
}

}  // namespace tm2::gui
