#include "widgets/designer/layer_editor.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

namespace tm2::gui {

using model::LayerType;

namespace {
bool isConv(LayerType t) { return t == LayerType::Conv2d || t == LayerType::DsConv2d; }
}  // namespace

LayerEditor::LayerEditor(QWidget* parent) : QGroupBox(tr("Block"), parent) {
    setObjectName("designerEditor");
    auto* layout = new QVBoxLayout(this);
    title_ = new QLabel(tr("Select a block to edit it."), this);
    title_->setWordWrap(true);
    layout->addWidget(title_);
    form_ = new QFormLayout;
    name_edit_ = new QLineEdit(this);
    name_edit_->setPlaceholderText(tr("default"));
    auto spin = [this](const char* name, int lo, int hi) {
        auto* s = new QSpinBox(this);
        s->setObjectName(name);
        s->setRange(lo, hi);
        return s;
    };
    filters_spin_ = spin("editFilters", 1, 4096);
    kernel_spin_ = spin("editKernel", 1, 99);
    stride_spin_ = spin("editStride", 0, 99);
    padding_spin_ = spin("editPadding", 0, 99);
    units_spin_ = spin("editUnits", 1, 1'000'000);
    p_spin_ = new QDoubleSpinBox(this);
    p_spin_->setObjectName("editP");
    p_spin_->setRange(0.0, 0.99);
    p_spin_->setSingleStep(0.05);
    relu_check_ = new QCheckBox(tr("ReLU"), this);
    bias_check_ = new QCheckBox(tr("bias"), this);
    form_->addRow(tr("Name:"), name_edit_);
    form_->addRow(tr("Filters:"), filters_spin_);
    form_->addRow(tr("Kernel:"), kernel_spin_);
    form_->addRow(tr("Stride:"), stride_spin_);
    form_->addRow(tr("Padding:"), padding_spin_);
    form_->addRow(tr("Units:"), units_spin_);
    form_->addRow(tr("Dropout p:"), p_spin_);
    form_->addRow(tr("Activation:"), relu_check_);
    form_->addRow(tr("Bias:"), bias_check_);
    layout->addLayout(form_);
    info_ = new QLabel(this);
    info_->setWordWrap(true);
    info_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(info_);
    layout->addStretch(1);
    setMinimumWidth(240);
    setMaximumWidth(340);

    for (QSpinBox* s : {filters_spin_, kernel_spin_, stride_spin_, padding_spin_, units_spin_})
        connect(s, &QSpinBox::valueChanged, this, &LayerEditor::emitEdited);
    connect(p_spin_, &QDoubleSpinBox::valueChanged, this, &LayerEditor::emitEdited);
    connect(relu_check_, &QCheckBox::toggled, this, &LayerEditor::emitEdited);
    connect(bias_check_, &QCheckBox::toggled, this, &LayerEditor::emitEdited);
    connect(name_edit_, &QLineEdit::editingFinished, this, &LayerEditor::emitEdited);
    clearLayer();
}

void LayerEditor::clearLayer() {
    has_layer_ = false;
    for (QWidget* w : std::initializer_list<QWidget*>{name_edit_, filters_spin_, kernel_spin_, stride_spin_,
                                                       padding_spin_, units_spin_, p_spin_, relu_check_, bias_check_})
        w->setEnabled(false);
    title_->setText(tr("Select a block to edit it."));
    info_->clear();
}

void LayerEditor::showLayer(const model::LayerSpec& l, const QString& where, const QString& error) {
    filling_ = true;
    layer_ = l;
    has_layer_ = true;
    for (QWidget* w : std::initializer_list<QWidget*>{name_edit_, filters_spin_, kernel_spin_, stride_spin_,
                                                       padding_spin_, units_spin_, p_spin_, relu_check_, bias_check_})
        w->setEnabled(true);
    title_->setText(tr("<b>%1</b> — %2").arg(QString::fromUtf8(model::toString(l.type)), where));
    name_edit_->setText(QString::fromStdString(l.name));
    filters_spin_->setValue(std::max(1, l.out_channels));
    kernel_spin_->setValue(std::max(1, l.kernel));
    stride_spin_->setValue(l.stride);
    padding_spin_->setValue(l.padding);
    units_spin_->setValue(std::max(1, l.out_features));
    p_spin_->setValue(l.p);
    relu_check_->setChecked(l.activation == model::Activation::Relu);
    bias_check_->setChecked(l.bias);
    const bool conv = isConv(l.type);
    const bool window = conv || l.type == LayerType::MaxPool2d;
    form_->setRowVisible(filters_spin_, conv);
    form_->setRowVisible(kernel_spin_, window);
    form_->setRowVisible(stride_spin_, window);
    form_->setRowVisible(padding_spin_, window);
    form_->setRowVisible(units_spin_, l.type == LayerType::Fc);
    form_->setRowVisible(p_spin_, l.type == LayerType::Dropout);
    form_->setRowVisible(relu_check_, conv || l.type == LayerType::Fc);
    form_->setRowVisible(bias_check_, conv || l.type == LayerType::Fc);
    stride_spin_->setSpecialValueText(l.type == LayerType::MaxPool2d ? tr("= kernel") : QString());
    info_->setText(error.isEmpty() ? QString()
                                   : QString("<span style='color:#b00020'>%1</span>").arg(error.toHtmlEscaped()));
    filling_ = false;
}

void LayerEditor::emitEdited() {
    if (filling_ || !has_layer_) return;
    model::LayerSpec l = layer_;
    l.name = name_edit_->text().trimmed().toStdString();
    const bool conv = isConv(l.type);
    const bool window = conv || l.type == LayerType::MaxPool2d;
    if (conv) l.out_channels = filters_spin_->value();
    if (window) {
        l.kernel = kernel_spin_->value();
        l.stride = stride_spin_->value();
        l.padding = padding_spin_->value();
    }
    if (l.type == LayerType::Fc) l.out_features = units_spin_->value();
    if (l.type == LayerType::Dropout) l.p = p_spin_->value();
    if (conv || l.type == LayerType::Fc) {
        l.activation = relu_check_->isChecked() ? model::Activation::Relu : model::Activation::None;
        l.bias = bias_check_->isChecked();
    }
    layer_ = l;
    Q_EMIT edited(l);
}

}  // namespace tm2::gui
