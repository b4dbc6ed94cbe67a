#include "widgets/common/explain_view.h"

#include <QChartView>
#include <QComboBox>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

#include "core/base/error.h"
#include "widgets/common/bar_chart.h"
#include "widgets/common/exclusive_jobs.h"
#include "widgets/common/task_runner.h"
#include "widgets/workbench.h"

namespace tm2::gui::explain_detail {

// What a job hands back: a loaded run with its contributions and sample list
// (Explain), or only another sample's maps (the picker).
struct JobResult {
    std::shared_ptr<workflow::ExplainableRun> run;
    explain::ModalityContributions contributions;
    std::vector<std::string> samples;
    std::shared_ptr<workflow::SampleExplanation> sample;
};

}  // namespace tm2::gui::explain_detail

Q_DECLARE_METATYPE(std::shared_ptr<tm2::gui::explain_detail::JobResult>)

namespace tm2::gui {

namespace {

using explain_detail::JobResult;

QImage toQImage(const explain::RgbPicture& p) {
    return QImage(p.rgb.data(), p.width, p.height, p.width * 3, QImage::Format_RGB888).copy();
}

}  // namespace

ExplainView::ExplainView(Workbench& workbench, const QString& owner, QWidget* parent)
    : QWidget(parent), workbench_(workbench), runner_(new TaskRunner(this)) {
    setObjectName("explainView");
    workbench_.libTorchJobs().add(*runner_, owner);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* box = new QGroupBox(
        tr("Why it decides: gradient × input per branch, and each modality masked per class"), this);
    layout->addWidget(box);
    auto* inner = new QVBoxLayout(box);

    auto* controls = new QHBoxLayout;
    explain_button_ = new QPushButton(tr("E&xplain run"), box);
    explain_button_->setObjectName("explainRun");
    explain_button_->setToolTip(
        tr("Load the run's test split and network, compute the per-class modality "
           "contributions and the first test sample's maps"));
    sample_picker_ = new QComboBox(box);
    sample_picker_->setObjectName("explainSample");
    sample_picker_->setToolTip(tr("The test sample whose maps are shown"));
    sample_picker_->setMinimumContentsLength(12);
    figure_picker_ = new QComboBox(box);
    figure_picker_->setObjectName("explainFigure");
    figure_picker_->addItems({tr("accuracy"), tr("mean confidence")});
    figure_picker_->setToolTip(
        tr("Per class: the share of its test samples predicted right, or the mean "
           "probability the network gives their true class"));
    save_button_ = new QPushButton(tr("Save PNG…"), box);
    save_button_->setObjectName("explainSave");
    save_button_->setToolTip(
        tr("Write the maps as PNG (input beside overlay), explain.json and "
           "modality-contribution.csv into a folder, as `tinym2net explain` does"));
    controls->addWidget(explain_button_);
    controls->addWidget(new QLabel(tr("Test sample:"), box));
    controls->addWidget(sample_picker_, 1);
    controls->addWidget(new QLabel(tr("Per class:"), box));
    controls->addWidget(figure_picker_);
    controls->addWidget(save_button_);
    inner->addLayout(controls);
    status_ = new QLabel(tr("No run to explain yet: train one (or compare) first."), box);
    status_->setObjectName("explainStatus");
    status_->setWordWrap(true);
    inner->addWidget(status_);

    // Maps above, the per-class chart below at the view's full width: ten classes × three
    // bars need the room (the view scrolls in its pane).
    maps_layout_ = new QHBoxLayout;
    inner->addLayout(maps_layout_);
    chart_ = new QChartView(box);
    chart_->setObjectName("explainContributionChart");
    chart_->setRenderHint(QPainter::Antialiasing);
    chart_->setMinimumSize(560, 260);
    inner->addWidget(chart_, 1);
    showContributions();

    connect(explain_button_, &QPushButton::clicked, this, &ExplainView::explainRun);
    connect(sample_picker_, &QComboBox::textActivated, this, &ExplainView::explainSample);
    connect(figure_picker_, &QComboBox::currentIndexChanged, this, &ExplainView::showContributions);
    connect(save_button_, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder for the maps and figures"));
        if (!folder.isEmpty()) saveTo(folder);
    });
    connect(runner_, &TaskRunner::succeeded, this, &ExplainView::onSucceeded);
    connect(runner_, &TaskRunner::failed, this,
            [this](const QString& m) { status_->setText(tr("Failed: %1").arg(m)); });
    connect(runner_, &TaskRunner::refused, this, [this](const QString& m) { status_->setText(m); });
    connect(runner_, &TaskRunner::cancelled, this, [this] { status_->setText(tr("Cancelled.")); });
    connect(runner_, &TaskRunner::progress, this,
            [this](const QString& stage, qulonglong done, qulonglong total) {
                status_->setText(tr("%1 … %2 / %3").arg(stage).arg(done).arg(total));
            });
    connect(runner_, &TaskRunner::started, this, &ExplainView::updateEnabled);
    connect(runner_, &TaskRunner::finished, this, &ExplainView::updateEnabled);
    updateEnabled();
}

ExplainView::~ExplainView() = default;

bool ExplainView::isBusy() const { return runner_->isRunning(); }

void ExplainView::setRun(const QString& run_dir) {
    if (run_dir == run_dir_) return;
    run_dir_ = run_dir;
    loaded_.reset();
    shown_.reset();
    shown_sample_.clear();
    contributions_ = {};
    sample_picker_->clear();
    maps_.clear();
    while (QLayoutItem* item = maps_layout_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    showContributions();
    status_->setText(run_dir_.isEmpty()
                         ? tr("No run to explain yet.")
                         : tr("Explain %1: which parts of a test sample each branch reads, and which "
                              "classes need which modality.")
                               .arg(run_dir_));
    updateEnabled();
}

void ExplainView::explainRun() {
    if (run_dir_.isEmpty()) return;
    const std::string dir = run_dir_.toStdString();
    const int threads = 1;  // a few hundred test samples: one thread is fast and leaves the GUI responsive
    runner_->start(tr("Explain"), [dir, threads](const TaskContext& c) {
        auto r = std::make_shared<JobResult>();
        r->run = workflow::loadExplainableRun(dir, threads, c.progress);
        r->samples = workflow::testSampleIds(*r->run);
        r->contributions = workflow::testModalityContributions(*r->run);
        r->sample = std::make_shared<workflow::SampleExplanation>(workflow::explainTestSample(*r->run, ""));
        return QVariant::fromValue(r);
    });
}

void ExplainView::explainSample(const QString& sample) {
    if (!loaded_ || sample.isEmpty() || sample == shown_sample_) return;
    auto run = loaded_;
    const std::string id = sample.toStdString();
    runner_->start(tr("Explain sample"), [run, id](const TaskContext&) {
        auto r = std::make_shared<JobResult>();
        r->sample = std::make_shared<workflow::SampleExplanation>(workflow::explainTestSample(*run, id));
        return QVariant::fromValue(r);
    });
}

void ExplainView::onSucceeded(const QVariant& value) {
    const auto r = value.value<std::shared_ptr<JobResult>>();
    if (!r) return;
    if (r->run) {
        loaded_ = r->run;
        contributions_ = r->contributions;
        sample_picker_->clear();
        for (const auto& id : r->samples) sample_picker_->addItem(QString::fromStdString(id));
        showContributions();
    }
    if (r->sample) {
        shown_ = r->sample;
        showSample(*r->sample);
    }
    updateEnabled();
}

void ExplainView::showSample(const workflow::SampleExplanation& e) {
    shown_sample_ = QString::fromStdString(e.sample);
    sample_picker_->setCurrentText(shown_sample_);
    maps_.clear();
    while (QLayoutItem* item = maps_layout_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    double total = 0;
    for (const auto& b : e.saliency.branches) total += b.total;
    for (std::size_t b = 0; b < e.saliency.branches.size(); ++b) {
        const explain::BranchSaliency& s = e.saliency.branches[b];
        const QImage image = toQImage(explain::renderSaliency(s, e.layouts.at(b)));
        maps_ << image;
        auto* label = new QLabel;
        label->setObjectName(QString::fromStdString("explainMap-" + s.modality));
        label->setPixmap(QPixmap::fromImage(image));
        label->setToolTip(tr("%1: %2 % of the sample's |gradient × input|")
                              .arg(QString::fromStdString(s.modality))
                              .arg(total > 0 ? 100.0 * s.total / total : 0.0, 0, 'f', 1));
        maps_layout_->addWidget(label);
    }
    maps_layout_->addStretch(1);
    const QString which =
        e.explained == e.predicted
            ? tr("the maps show the evidence for the predicted class")
            : tr("the maps show the evidence for %1").arg(QString::fromStdString(e.explained));
    status_->setText(
        tr("Sample %1: label %2, predicted %3 (%4); bright = the cells that moved the decision most.")
            .arg(shown_sample_, QString::fromStdString(e.label), QString::fromStdString(e.predicted), which));
}

void ExplainView::showContributions() {
    const bool accuracy = figure_picker_->currentIndex() == 0;
    const explain::ModalityContributions& c = contributions_;
    QStringList classes;
    for (const auto& name : c.classes) classes << QString::fromStdString(name);
    auto values = [&](const std::vector<explain::ClassFigures>& figures) {
        QList<double> out;
        for (const auto& f : figures) out << (accuracy ? f.accuracy : f.mean_confidence);
        return out;
    };
    QList<BarSetData> sets;
    if (!c.classes.empty()) {
        sets.push_back({tr("all modalities"), values(c.all_present)});
        for (const auto& m : c.masked)
            sets.push_back({tr("no %1").arg(QString::fromStdString(m.modality)), values(m.masked)});
    }
    const QString figure = accuracy ? tr("test accuracy") : tr("mean confidence");
    fillBarChart(*chart_, tr("Per class, with each modality masked"), classes, sets, figure);
}

bool ExplainView::saveTo(const QString& folder) {
    if (!shown_) {
        status_->setText(tr("Nothing to save yet: explain the run first."));
        return false;
    }
    try {
        const auto files =
            workflow::writeExplanation(folder.toStdString(), run_dir_.toStdString(), *shown_, contributions_);
        status_->setText(tr("Wrote %1 files to %2.").arg(files.size()).arg(folder));
        return true;
    } catch (const Error& e) {
        status_->setText(tr("Could not save: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
}

QStringList ExplainView::samples() const {
    QStringList out;
    for (int i = 0; i < sample_picker_->count(); ++i) out << sample_picker_->itemText(i);
    return out;
}

QStringList ExplainView::mapTitles() const {
    QStringList out;
    if (shown_)
        for (const auto& b : shown_->saliency.branches) out << QString::fromStdString(b.modality);
    return out;
}

QString ExplainView::statusText() const { return status_->text(); }

ExplainView* addExplainTab(Workbench& workbench, const QString& owner, QTabWidget& tabs) {
    auto* view = new ExplainView(workbench, owner);
    auto* scroll = new QScrollArea(&tabs);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(view);
    tabs.addTab(scroll, QObject::tr("Why it decides"));
    return view;
}

void ExplainView::updateEnabled() {
    const bool running = runner_->isRunning();
    explain_button_->setEnabled(!running && !run_dir_.isEmpty());
    sample_picker_->setEnabled(!running && loaded_ != nullptr);
    save_button_->setEnabled(!running && shown_ != nullptr);
}

}  // namespace tm2::gui
