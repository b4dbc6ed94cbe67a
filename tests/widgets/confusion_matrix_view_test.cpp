#include "widgets/common/confusion_matrix_view.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QHeaderView>
#include <QScrollBar>

namespace tm2::gui {
namespace {

TEST(ConfusionMatrixView, TenClassesFitWithNamesOnTheRowsAndNumbersOnTheColumns) {
    const QStringList classes{"tshirt", "trouser", "pullover", "dress", "coat",
                              "sandal", "shirt",   "sneaker",  "bag",   "ankle_boot"};
    std::vector<std::vector<long>> m(10, std::vector<long>(10, 0));
    for (int i = 0; i < 10; ++i) m[i][i] = 3;
    m[6][0] = 2;  // shirts taken for t-shirts
    ConfusionMatrixView view;
    view.setMatrix(m, classes);
    EXPECT_EQ(view.horizontalHeaderItem(3)->text(), "3");
    EXPECT_EQ(view.horizontalHeaderItem(3)->toolTip(), "predicted dress");
    EXPECT_EQ(view.verticalHeaderItem(6)->text(), "6 shirt");
    EXPECT_EQ(view.count(6, 0), 2);
    EXPECT_EQ(view.count(6, 6), 3);
    // A third of a 1400-pixel window: all ten columns visible without scrolling.
    view.resize(300, 260);
    view.show();
    QApplication::processEvents();
    EXPECT_FALSE(view.horizontalScrollBar()->isVisible());

    view.setMatrix({{1, 0}, {0, 1}});  // no names: numbers only
    EXPECT_EQ(view.verticalHeaderItem(1)->text(), "1");
}

}  // namespace
}  // namespace tm2::gui
