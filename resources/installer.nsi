; Windows installer for the PyInstaller one-folder bundle (NSIS 3, Unicode, 64-bit).
; Built by tools/build_bundle.py:  makensis -DVERSION=0.1.0 -DBUNDLE=<dist\fazhi-desktop> -DOUTFILE=<setup.exe> installer.nsi
; Per-user: no administrator rights, installs under %LOCALAPPDATA%\Programs. The ledgers live in
; %LOCALAPPDATA%\fazhi_desktop (another folder); neither the installer nor the uninstaller ever touches it.
Unicode true
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
!ifdef COMPRESSOR
  SetCompressor /SOLID ${COMPRESSOR}
!else
  SetCompressor /SOLID lzma
!endif

!include "MUI2.nsh"
!include "WinVer.nsh"

!define PRODUCT "法治建设台账与年度报告"
!define CONSOLE "${PRODUCT} 命令行"
; The oldest Windows the window runs on (fazhi_desktop/runtime/windows_version.py: Qt 6 needs Windows 10 1809).
!define MINIMUM_BUILD 17763
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\fazhi-desktop"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\fazhi-desktop"
InstallDirRegKey HKCU "Software\fazhi-desktop" "InstallDir"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=2052 "FileDescription" "${PRODUCT} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "MIT 许可证"

!define MUI_ICON "fazhi-desktop.ico"
!define MUI_UNICON "fazhi-desktop.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\fazhi-desktop.exe"
!define MUI_FINISHPAGE_RUN_TEXT "现在启动${PRODUCT}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ${IfNot} ${AtLeastBuild} ${MINIMUM_BUILD}
    MessageBox MB_OK|MB_ICONSTOP "${PRODUCT}需要 Windows 10 1809 版（内部版本 ${MINIMUM_BUILD}）或更新的 Windows，本机的 Windows 版本过旧，无法安装。" /SD IDOK
    Abort
  ${EndIf}
FunctionEnd

Section "程序文件" SecMain
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; A reinstall replaces the program files only; the data folder is elsewhere.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\fazhi-desktop.exe" "" "$INSTDIR\fazhi-desktop.exe" 0
  CreateShortcut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\fazhi-desktop.exe" "" "$INSTDIR\fazhi-desktop.exe" 0
  ; The command line (stats, report, backup…): a console opened in the program folder (the shortcut's 起始位置, set by
  ; SetOutPath above), where fazhi-desktop-cli is found; the folder is not put on PATH.
  CreateShortcut "$SMPROGRAMS\${CONSOLE}.lnk" "$SYSDIR\cmd.exe" "/k fazhi-desktop-cli --help" \
    "$INSTDIR\fazhi-desktop-cli.exe" 0 SW_SHOWNORMAL "" "${PRODUCT}的命令行程序 fazhi-desktop-cli"
  WriteRegStr HKCU "Software\fazhi-desktop" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "fazhi_desktop"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\fazhi-desktop.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  Delete "$DESKTOP\${PRODUCT}.lnk"
  Delete "$SMPROGRAMS\${CONSOLE}.lnk"
  ; Only the program's own files: a folder that does not hold the program is left alone, and the ledgers
  ; (%LOCALAPPDATA%\fazhi_desktop, backups included) are never deleted.
  IfFileExists "$INSTDIR\fazhi-desktop.exe" 0 done
    RMDir /r "$INSTDIR\_internal"
    Delete "$INSTDIR\fazhi-desktop.exe"
    Delete "$INSTDIR\fazhi-desktop-cli.exe"
    Delete "$INSTDIR\uninstall.exe"
    RMDir "$INSTDIR"
  done:
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\fazhi-desktop"
SectionEnd
