# Generated from ui/settings_dialog.ui by tools/build_ui.py — edit the .ui file, not this one.
from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QDialog,
    QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QSizePolicy, QSpacerItem, QSpinBox,
    QTabWidget, QToolButton, QVBoxLayout, QWidget)

class Ui_SettingsDialog(object):
    def setupUi(self, SettingsDialog):
        if not SettingsDialog.objectName():
            SettingsDialog.setObjectName(u"SettingsDialog")
        SettingsDialog.resize(620, 520)
        self.dialogLayout = QVBoxLayout(SettingsDialog)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.tabs = QTabWidget(SettingsDialog)
        self.tabs.setObjectName(u"tabs")
        self.unitPage = QWidget()
        self.unitPage.setObjectName(u"unitPage")
        self.unitLayout = QVBoxLayout(self.unitPage)
        self.unitLayout.setObjectName(u"unitLayout")
        self.tabs.addTab(self.unitPage, "")
        self.fontPage = QWidget()
        self.fontPage.setObjectName(u"fontPage")
        self.fontPageLayout = QVBoxLayout(self.fontPage)
        self.fontPageLayout.setObjectName(u"fontPageLayout")
        self.fontHint = QLabel(self.fontPage)
        self.fontHint.setObjectName(u"fontHint")
        self.fontHint.setWordWrap(True)

        self.fontPageLayout.addWidget(self.fontHint)

        self.fontForm = QFormLayout()
        self.fontForm.setObjectName(u"fontForm")

        self.fontPageLayout.addLayout(self.fontForm)

        self.h3BoldCheck = QCheckBox(self.fontPage)
        self.h3BoldCheck.setObjectName(u"h3BoldCheck")

        self.fontPageLayout.addWidget(self.h3BoldCheck)

        self.fontSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.fontPageLayout.addItem(self.fontSpacer)

        self.tabs.addTab(self.fontPage, "")
        self.backupPage = QWidget()
        self.backupPage.setObjectName(u"backupPage")
        self.backupForm = QFormLayout(self.backupPage)
        self.backupForm.setObjectName(u"backupForm")
        self.backupDirLabel = QLabel(self.backupPage)
        self.backupDirLabel.setObjectName(u"backupDirLabel")

        self.backupForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.backupDirLabel)

        self.backupDirRow = QHBoxLayout()
        self.backupDirRow.setObjectName(u"backupDirRow")
        self.backupDirEdit = QLineEdit(self.backupPage)
        self.backupDirEdit.setObjectName(u"backupDirEdit")

        self.backupDirRow.addWidget(self.backupDirEdit)

        self.backupDirButton = QToolButton(self.backupPage)
        self.backupDirButton.setObjectName(u"backupDirButton")

        self.backupDirRow.addWidget(self.backupDirButton)


        self.backupForm.setLayout(0, QFormLayout.ItemRole.FieldRole, self.backupDirRow)

        self.keepLabel = QLabel(self.backupPage)
        self.keepLabel.setObjectName(u"keepLabel")

        self.backupForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.keepLabel)

        self.keepSpin = QSpinBox(self.backupPage)
        self.keepSpin.setObjectName(u"keepSpin")
        self.keepSpin.setMinimum(3)
        self.keepSpin.setMaximum(365)
        self.keepSpin.setValue(30)

        self.backupForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.keepSpin)

        self.tabs.addTab(self.backupPage, "")

        self.dialogLayout.addWidget(self.tabs)

        self.buttonBox = QDialogButtonBox(SettingsDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.dialogLayout.addWidget(self.buttonBox)


        self.retranslateUi(SettingsDialog)
    # setupUi

    def retranslateUi(self, SettingsDialog):
        SettingsDialog.setWindowTitle(QCoreApplication.translate("SettingsDialog", u"\u8bbe\u7f6e", None))
        self.tabs.setTabText(self.tabs.indexOf(self.unitPage), QCoreApplication.translate("SettingsDialog", u"\u5355\u4f4d", None))
        self.fontHint.setText(QCoreApplication.translate("SettingsDialog", u"\u9ed8\u8ba4\u4f18\u5148\u4f7f\u7528\u672c\u673a\u5b89\u88c5\u7684\u516c\u6587\u5b57\u4f53\uff08\u65b9\u6b63\u5c0f\u6807\u5b8b\u7b80\u4f53\u3001\u4eff\u5b8b_GB2312\u3001\u9ed1\u4f53\u3001\u6977\u4f53_GB2312\u3001\u5b8b\u4f53\uff09\uff0c\u6ca1\u6709\u65f6\u4f7f\u7528\u7a0b\u5e8f\u81ea\u5e26\u7684\u5f00\u6e90\u5b57\u4f53\u3002\u4e5f\u53ef\u4ee5\u4e3a\u6bcf\u79cd\u7528\u9014\u6307\u5b9a\u5b57\u4f53\u6587\u4ef6\uff08\u4ec5\u652f\u6301 TrueType \u5b57\u4f53 .ttf/.ttc\uff09\u3002", None))
        self.h3BoldCheck.setText(QCoreApplication.translate("SettingsDialog", u"\u4e09\u7ea7\u6807\u9898\uff081.\uff09\u4f7f\u7528\u9ed1\u4f53\u52a0\u7c97", None))
        self.tabs.setTabText(self.tabs.indexOf(self.fontPage), QCoreApplication.translate("SettingsDialog", u"\u62a5\u544a\u5b57\u4f53", None))
        self.backupDirLabel.setText(QCoreApplication.translate("SettingsDialog", u"\u5907\u4efd\u6587\u4ef6\u5939\uff1a", None))
        self.backupDirButton.setText(QCoreApplication.translate("SettingsDialog", u"\u2026", None))
        self.keepLabel.setText(QCoreApplication.translate("SettingsDialog", u"\u4fdd\u7559\u4efd\u6570\uff1a", None))
        self.tabs.setTabText(self.tabs.indexOf(self.backupPage), QCoreApplication.translate("SettingsDialog", u"\u5907\u4efd", None))
    # retranslateUi

