# Generated from ui/about_dialog.ui by tools/build_ui.py — edit the .ui file, not this one.
from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QLabel, QSizePolicy, QVBoxLayout, QWidget)

class Ui_AboutDialog(object):
    def setupUi(self, AboutDialog):
        if not AboutDialog.objectName():
            AboutDialog.setObjectName(u"AboutDialog")
        self.layout = QVBoxLayout(AboutDialog)
        self.layout.setObjectName(u"layout")
        self.titleLabel = QLabel(AboutDialog)
        self.titleLabel.setObjectName(u"titleLabel")

        self.layout.addWidget(self.titleLabel)

        self.versionLabel = QLabel(AboutDialog)
        self.versionLabel.setObjectName(u"versionLabel")

        self.layout.addWidget(self.versionLabel)

        self.bodyLabel = QLabel(AboutDialog)
        self.bodyLabel.setObjectName(u"bodyLabel")
        self.bodyLabel.setWordWrap(True)
        self.bodyLabel.setOpenExternalLinks(False)

        self.layout.addWidget(self.bodyLabel)

        self.pathsLabel = QLabel(AboutDialog)
        self.pathsLabel.setObjectName(u"pathsLabel")
        self.pathsLabel.setWordWrap(True)
        self.pathsLabel.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.layout.addWidget(self.pathsLabel)

        self.buttonBox = QDialogButtonBox(AboutDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Close)

        self.layout.addWidget(self.buttonBox)


        self.retranslateUi(AboutDialog)
    # setupUi

    def retranslateUi(self, AboutDialog):
        AboutDialog.setWindowTitle(QCoreApplication.translate("AboutDialog", u"\u5173\u4e8e", None))
        self.titleLabel.setText(QCoreApplication.translate("AboutDialog", u"<h2>\u6cd5\u6cbb\u5efa\u8bbe\u53f0\u8d26\u4e0e\u5e74\u5ea6\u62a5\u544a</h2>", None))
        self.versionLabel.setText("")
        self.bodyLabel.setText(QCoreApplication.translate("AboutDialog", u"\u4e61\u9547\u6cd5\u6cbb\u653f\u5e9c\u5efa\u8bbe\u53f0\u8d26\u767b\u8bb0\u3001\u7edf\u8ba1\u548c\u5e74\u5ea6\u81ea\u67e5\u62a5\u544a\u751f\u6210\u5de5\u5177\uff0c\u5b8c\u5168\u79bb\u7ebf\u8fd0\u884c\uff0c\u6570\u636e\u4fdd\u5b58\u5728\u672c\u673a\u3002\n"
"\u7a0b\u5e8f\u81ea\u5e26\u7684 Fandol \u5b57\u4f53\u6309 GPL \u5b57\u4f53\u4f8b\u5916\u6761\u6b3e\u53d1\u5e03\uff0cDroid Sans Fallback \u5b57\u4f53\u6309 Apache 2.0 \u8bb8\u53ef\u53d1\u5e03\u3002", None))
        self.pathsLabel.setText("")
    # retranslateUi

