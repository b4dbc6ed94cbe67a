#include "widgets/common/hyper_parameter_form.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSpinBox>

#include "core/workflow/training_session.h"

namespace tm2::gui {

namespace {

QDoubleSpinBox* doubleBox(QWidget* parent, const QString& name, double min, double max, int decimals, double step,
                          double value) {
    auto* box = new QDoubleSpinBox(parent);
    box->setObjectName(name);
    box->setRange(min, max);
    box->setDecimals(decimals);
    box->setSingleStep(step);
    box->setValue(value);
    return box;
}

QSpinBox* intBox(QWidget* parent, const QString& name, int min, int max, int value) {
    auto* box = new QSpinBox(parent);
    box->setObjectName(name);
    box->setRange(min, max);
    box->setValue(value);
    return box;
}

}  // namespace

HyperParameterForm::HyperParameterForm(QWidget* parent) : QGroupBox(tr("Hyper-parameters"), parent) {
    const train::TrainConfig defaults;
    auto* form = new QFormLayout(this);
    epochs_ = intBox(this, "epochsSpin", 1, 10000, defaults.epochs);
    batch_size_ = intBox(this, "batchSizeSpin", 1, 4096, defaults.batch_size);
    learning_rate_ = doubleBox(this, "learningRateSpin", 1e-6, 1.0, 6, 1e-4, defaults.learning_rate);
    weight_decay_ = doubleBox(this, "weightDecaySpin", 0.0, 1.0, 6, 1e-4, defaults.weight_decay);
    lr_schedule_ = new QComboBox(this);
    lr_schedule_->setObjectName("lrScheduleCombo");
    lr_schedule_->addItem(tr("constant"), "constant");
    lr_schedule_->addItem(tr("cosine"), "cosine");
    lr_schedule_->addItem(tr("step (×0.5 every 5 epochs)"), "step");
    class_weighting_ = new QComboBox(this);
    class_weighting_->setObjectName("classWeightingCombo");
    class_weighting_->addItem(tr("none"), "none");
    class_weighting_->addItem(tr("balanced (n / (k · n_c))"), "balanced");
    patience_ = intBox(this, "patienceSpin", 0, 10000, defaults.early_stopping_patience);
    patience_->setSpecialValueText(tr("off"));
    modality_dropout_ = doubleBox(this, "modalityDropoutSpin", 0.0, 0.9, 2, 0.05, defaults.modality_dropout);
    aux_loss_ = doubleBox(this, "auxLossSpin", 0.0, 10.0, 2, 0.1, defaults.aux_loss_weight);
    seed_ = intBox(this, "seedSpin", 0, 1000000000, static_cast<int>(data::SplitConfig().seed));  // as the CLI's --seed

    epochs_->setToolTip(tr("Passes over the training split"));
    learning_rate_->setToolTip(tr("Adam learning rate"));
    patience_->setToolTip(tr("Stop after this many epochs without validation improvement (0 = off)"));
    modality_dropout_->setToolTip(tr("Per-sample probability of hiding one modality while training"));
    aux_loss_->setToolTip(tr("Weight of the per-branch auxiliary classifier losses (0 = off)"));
    seed_->setToolTip(tr("One seed for the splits, weight init, shuffling and dropout"));

    form->addRow(tr("&Epochs"), epochs_);
    form->addRow(tr("&Batch size"), batch_size_);
    form->addRow(tr("&Learning rate"), learning_rate_);
    form->addRow(tr("&Weight decay"), weight_decay_);
    form->addRow(tr("LR &schedule"), lr_schedule_);
    form->addRow(tr("&Class weights"), class_weighting_);
    form->addRow(tr("Early-stopping &patience"), patience_);
    form->addRow(tr("&Modality dropout"), modality_dropout_);
    form->addRow(tr("&Aux loss weight"), aux_loss_);
    form->addRow(tr("See&d"), seed_);
}

int HyperParameterForm::epochs() const { return epochs_->value(); }
void HyperParameterForm::setEpochs(int epochs) { epochs_->setValue(epochs); }
void HyperParameterForm::setBatchSize(int batch_size) { batch_size_->setValue(batch_size); }

void HyperParameterForm::applyTo(workflow::TrainingOptions& options) const {
    options.train.epochs = epochs_->value();
    options.train.batch_size = batch_size_->value();
    options.train.learning_rate = learning_rate_->value();
    options.train.weight_decay = weight_decay_->value();
    options.train.early_stopping_patience = patience_->value();
    options.train.modality_dropout = modality_dropout_->value();
    options.train.aux_loss_weight = aux_loss_->value();
    options.lr_schedule = lr_schedule_->currentData().toString().toStdString();
    options.class_weighting = class_weighting_->currentData().toString().toStdString();
    // prepareTraining takes the one seed from the split (splits, weights, shuffling).
    options.dataset.split.seed = static_cast<std::uint64_t>(seed_->value());
}

void HyperParameterForm::save(QSettings& s) const {
    s.setValue("epochs", epochs_->value());
    s.setValue("batch_size", batch_size_->value());
    s.setValue("learning_rate", learning_rate_->value());
    s.setValue("weight_decay", weight_decay_->value());
    s.setValue("lr_schedule", lr_schedule_->currentData());
    s.setValue("class_weighting", class_weighting_->currentData());
    s.setValue("patience", patience_->value());
    s.setValue("modality_dropout", modality_dropout_->value());
    s.setValue("aux_loss", aux_loss_->value());
    s.setValue("seed", seed_->value());
}

void HyperParameterForm::restore(QSettings& s) {
    epochs_->setValue(s.value("epochs", epochs_->value()).toInt());
    batch_size_->setValue(s.value("batch_size", batch_size_->value()).toInt());
    learning_rate_->setValue(s.value("learning_rate", learning_rate_->value()).toDouble());
    weight_decay_->setValue(s.value("weight_decay", weight_decay_->value()).toDouble());
    if (int i = lr_schedule_->findData(s.value("lr_schedule")); i >= 0) lr_schedule_->setCurrentIndex(i);
    if (int i = class_weighting_->findData(s.value("class_weighting")); i >= 0) class_weighting_->setCurrentIndex(i);
    patience_->setValue(s.value("patience", patience_->value()).toInt());
    modality_dropout_->setValue(s.value("modality_dropout", modality_dropout_->value()).toDouble());
    aux_loss_->setValue(s.value("aux_loss", aux_loss_->value()).toDouble());
    seed_->setValue(s.value("seed", seed_->value()).toInt());
}

}  // namespace tm2::gui
