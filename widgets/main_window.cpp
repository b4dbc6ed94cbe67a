#include "widgets/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLabel>
#include <QMenuBar>
#include <QScreen>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>
#include <QToolBar>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/workflow/dataset_options.h"
#include "widgets/benchmark/benchmark_pane.h"
#include "widgets/common/target_picker.h"
#include "widgets/common/task_runner.h"
#include "widgets/compare/compare_pane.h"
#include "widgets/dataset/dataset_pane.h"
#include "widgets/designer/designer_pane.h"
#include "widgets/experiments/experiments_pane.h"
#include "widgets/quantize/quantize_pane.h"
#include "widgets/train/train_pane.h"
#include "widgets/workbench.h"

namespace tm2::gui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), workbench_(new Workbench(this)) {
    setWindowTitle(tr("TinyM2Net Workbench"));
    setObjectName("mainWindow");
    tabs_ = new QTabWidget(this);
    tabs_->setObjectName("paneTabs");
    tabs_->setDocumentMode(true);
    setCentralWidget(tabs_);

    dataset_ = new DatasetPane(*workbench_, this);
    designer_ = new DesignerPane(*workbench_, this);
    train_ = new TrainPane(*workbench_, this);
    compare_ = new ComparePane(*workbench_, this);
    quantize_ = new QuantizePane(*workbench_, this);
    benchmark_ = new BenchmarkPane(*workbench_, this);
    experiments_ = new ExperimentsPane(*workbench_, this);
    panes_ = {dataset_, designer_, train_, compare_, quantize_, benchmark_, experiments_};
    // LibTorch's seed and thread count are process-wide: these panes train, calibrate
    // or export through it, so only one of their jobs runs at a time.
    for (Pane* pane : std::initializer_list<Pane*>{train_, compare_, quantize_, benchmark_})
        workbench_->libTorchJobs().add(pane->runner(), pane->title());
    for (int i = 0; i < panes_.size(); ++i)
        tabs_->addTab(panes_[i], QString("%1  %2").arg(i + 1).arg(panes_[i]->title()));

    buildMenus();
    connect(workbench_, &Workbench::workspaceChanged, this, &MainWindow::updateStatus);
    connect(workbench_, &Workbench::datasetChanged, this, &MainWindow::updateStatus);
    connect(workbench_, &Workbench::runChanged, this, &MainWindow::updateStatus);

    resize(firstSize(availableScreen().size()));
    fitIntoScreen();
    updateStatus();
}

QSize MainWindow::firstSize(const QSize& available) {
    // 80 % of the screen, at least 1280×720 logical pixels where the screen has them (the
    // widest pane, Compare, needs 1280: narrower, it scrolls sideways), never more than it.
    return QSize(std::min(available.width(), std::max(1280, available.width() * 4 / 5)),
                 std::min(available.height(), std::max(720, available.height() * 4 / 5)));
}

QRect MainWindow::availableScreen() const {
    const QScreen* screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    return screen ? screen->availableGeometry() : QRect(0, 0, 1600, 1000);
}

void MainWindow::fitIntoScreen() {
    const QRect screen = availableScreen();
    // The window manager's frame (title bar, borders) is outside geometry().
    const QSize frame_extra = isVisible() ? frameGeometry().size() - geometry().size() : QSize(0, 0);
    const QSize most = screen.size() - frame_extra;
    if (width() > most.width() || height() > most.height())
        resize(std::min(width(), most.width()), std::min(height(), most.height()));
    QRect frame = isVisible() ? frameGeometry() : geometry();
    if (!screen.contains(frame)) {
        frame.moveLeft(std::clamp(frame.left(), screen.left(), std::max(screen.left(), screen.right() - frame.width() + 1)));
        frame.moveTop(std::clamp(frame.top(), screen.top(), std::max(screen.top(), screen.bottom() - frame.height() + 1)));
        move(frame.topLeft());
    }
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* workspace = file->addAction(tr("Choose &workspace…"), this, &MainWindow::chooseWorkspace);
    workspace->setShortcut(QKeySequence(tr("Ctrl+Shift+W")));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    QToolBar* toolbar = addToolBar(tr("Workflow"));
    toolbar->setObjectName("workflowToolbar");
    for (Pane* pane : panes_) {
        const QList<QAction*> actions = pane->mainActions();
        for (QAction* a : actions) {
            run->addAction(a);
            toolbar->addAction(a);
            // Triggering an action shows the pane it belongs to.
            connect(a, &QAction::triggered, this, [this, pane] { showPane(pane); });
        }
        if (!actions.isEmpty()) {
            run->addSeparator();
            toolbar->addSeparator();
        }
    }
    QAction* cancel = run->addAction(tr("&Cancel the current pane's job"));
    cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(cancel, &QAction::triggered, this, [this] {
        if (auto* pane = qobject_cast<Pane*>(tabs_->currentWidget())) pane->runner().cancel();
    });

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < panes_.size(); ++i) {
        QAction* a = view->addAction(panes_[i]->title());
        a->setShortcut(QKeySequence(QString("Ctrl+%1").arg(i + 1)));
        Pane* pane = panes_[i];
        connect(a, &QAction::triggered, this, [this, pane] { showPane(pane); });
    }

    auto* threads = new QSpinBox(this);
    threads->setObjectName("threadsSpin");
    threads->setRange(1, std::max(1, QThread::idealThreadCount()));
    threads->setValue(workbench_->threads());
    threads->setPrefix(tr("threads: "));
    threads->setToolTip(tr("Worker threads for training and quantization (1 is fastest on a busy machine)"));
    connect(threads, qOverload<int>(&QSpinBox::valueChanged), this, [this](int n) { workbench_->setThreads(n); });
    toolbar->addWidget(threads);
    // In the status bar, not the toolbar: the toolbar overflows at 1280 px wide and
    // the target must stay in sight while the panes measure against it.
    target_picker_ = new TargetPicker(*workbench_, this);
    statusBar()->addPermanentWidget(target_picker_);
}

void MainWindow::showPane(Pane* pane) { tabs_->setCurrentWidget(pane); }

void MainWindow::chooseWorkspace() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Workspace folder"), workbench_->workspace());
    if (!dir.isEmpty()) workbench_->setWorkspace(dir);
}

void MainWindow::updateStatus() {
    QString text = tr("Workspace: %1").arg(workbench_->workspace());
    if (workbench_->hasDataset()) text += "   ·   " + tr("Dataset: %1").arg(QString::fromStdString(workbench_->dataset().path));
    if (!workbench_->runDir().isEmpty()) text += "   ·   " + tr("Run: %1").arg(workbench_->runDir());
    statusBar()->showMessage(text);
}

void MainWindow::restoreSettings() {
    QSettings settings;
    if (settings.contains("window/geometry")) restoreGeometry(settings.value("window/geometry").toByteArray());
    if (settings.contains("window/state")) restoreState(settings.value("window/state").toByteArray());
    fitIntoScreen();  // saved on a larger screen, or with a layout that made it grow
    const QString workspace = settings.value("workspace").toString();
    if (!workspace.isEmpty()) workbench_->setWorkspace(workspace);
    if (auto* threads = findChild<QSpinBox*>("threadsSpin"))
        threads->setValue(settings.value("threads", workbench_->threads()).toInt());
    target_picker_->restoreSettings(settings);
    for (Pane* pane : panes_) {
        settings.beginGroup(pane->objectName());
        pane->restoreSettings(settings);
        settings.endGroup();
    }
    tabs_->setCurrentIndex(settings.value("window/pane", 0).toInt());
}

void MainWindow::saveSettings() const {
    QSettings settings;
    settings.remove("session");
    if (workbench_->hasDataset())
        settings.setValue("session/dataset", QString::fromStdString(nlohmann::json(workbench_->dataset()).dump()));
    settings.setValue("session/run", workbench_->runDir());
    settings.setValue("session/model", workbench_->modelPath());
    for (const auto& [mode, plan] : workbench_->plans()) settings.setValue("session/plans/" + mode, plan);
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    settings.setValue("window/pane", tabs_->currentIndex());
    settings.setValue("workspace", workbench_->workspace());
    settings.setValue("threads", workbench_->threads());
    target_picker_->saveSettings(settings);
    for (Pane* pane : panes_) {
        settings.beginGroup(pane->objectName());
        pane->saveSettings(settings);
        settings.endGroup();
    }
}

QStringList MainWindow::reopenSession() {
    QSettings settings;
    QStringList reopened;
    const auto exists = [](const QString& path) { return !path.isEmpty() && QFileInfo::exists(path); };
    const QString dataset = settings.value("session/dataset").toString();
    if (!dataset.isEmpty()) {
        try {
            const auto options = nlohmann::json::parse(dataset.toStdString()).get<workflow::DatasetOptions>();
            if (exists(QString::fromStdString(options.path))) {
                workbench_->setDataset(options);
                reopened << "dataset";
            }
        } catch (const std::exception&) {
            // A setting from another version: start without a dataset.
        }
    }
    const QString run = settings.value("session/run").toString();
    if (exists(run + "/run.json")) {
        workbench_->setRunDir(run);
        reopened << "run";
        settings.beginGroup("session/plans");
        for (const QString& mode : settings.childKeys()) {
            const QString plan = settings.value(mode).toString();
            if (!exists(plan)) continue;
            workbench_->setPlan(mode, plan);
            reopened << "plan " + mode;
        }
        settings.endGroup();
    }
    const QString model = settings.value("session/model").toString();
    if (exists(model)) {
        workbench_->setModelPath(model);
        reopened << "model";
    }
    if (!reopened.isEmpty()) statusBar()->showMessage(tr("Reopened the last session: %1").arg(reopened.join(", ")), 8000);
    return reopened;
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveSettings();
    // Cancel running jobs; each pane's TaskRunner waits for its worker when destroyed.
    for (Pane* pane : panes_) pane->runner().cancel();
    event->accept();
}

}  // namespace tm2::gui
