#pragma once
// The designer's block editor: a form for one layer's settings (name, filters,
// kernel, stride, padding, units, dropout p, ReLU, bias), showing only the
// rows the layer type uses, with the block's shape error under it. Edits come
// back as a whole LayerSpec through edited(); the pane owns the spec.

#include <QGroupBox>

#include "core/model/model_spec.h"

class QCheckBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace tm2::gui {

class LayerEditor : public QGroupBox {
    Q_OBJECT
public:
    explicit LayerEditor(QWidget* parent = nullptr);
    // Shows `layer` (`where`: "image, layer 3"; `error`: its shape error or empty).
    void showLayer(const model::LayerSpec& layer, const QString& where, const QString& error);
    void clearLayer();  // nothing selected: the form is disabled

Q_SIGNALS:
    void edited(const model::LayerSpec& layer);

private:
    void emitEdited();

    model::LayerSpec layer_;
    bool has_layer_ = false;
    bool filling_ = false;
    QFormLayout* form_;
    QLabel* title_;
    QLineEdit* name_edit_;
    QSpinBox* filters_spin_;
    QSpinBox* kernel_spin_;
    QSpinBox* stride_spin_;
    QSpinBox* padding_spin_;
    QSpinBox* units_spin_;
    QDoubleSpinBox* p_spin_;
    QCheckBox* relu_check_;
    QCheckBox* bias_check_;
    QLabel* info_;
};

}  // namespace tm2::gui
