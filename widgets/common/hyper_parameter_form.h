#pragma once
// The training hyper-parameters as a form (epochs, batch, learning rate and
// schedule, weight decay, class weights, early stopping, modality dropout,
// auxiliary loss, seed). Shared by the Train and Compare panes; its values
// go into workflow::TrainingOptions and persist in QSettings.

#include <QGroupBox>
#include <QSettings>

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace tm2::workflow {
struct TrainingOptions;
}

namespace tm2::gui {

class HyperParameterForm : public QGroupBox {
    Q_OBJECT
public:
    explicit HyperParameterForm(QWidget* parent = nullptr);

    int epochs() const;
    void setEpochs(int epochs);
    void setBatchSize(int batch_size);
    // Writes the form's values into `options` (train config, schedule, weighting, seed).
    void applyTo(workflow::TrainingOptions& options) const;

    void save(QSettings& settings) const;
    void restore(QSettings& settings);

private:
    QSpinBox* epochs_;
    QSpinBox* batch_size_;
    QDoubleSpinBox* learning_rate_;
    QDoubleSpinBox* weight_decay_;
    QComboBox* lr_schedule_;
    QComboBox* class_weighting_;
    QSpinBox* patience_;
    QDoubleSpinBox* modality_dropout_;
    QDoubleSpinBox* aux_loss_;
    QSpinBox* seed_;
};

}  // namespace tm2::gui
