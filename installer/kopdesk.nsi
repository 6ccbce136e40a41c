; KopDesk Windows installer (NSIS 3, Unicode, Modern UI 2) -> KopDesk-Setup-<version>.exe
;
; Build on Windows after the PyInstaller bundle (see docs/installer.md):
;   python installer\build.py --nsis
; or by hand:
;   makensis /DVERSION=0.1.0 /DPAYLOAD=..\dist\KopDesk installer\kopdesk.nsi
; CI on Linux compiles it against a stand-in payload: python installer/build.py --nsis-check
;
; The program goes to Program Files; the clerk's database, backups, keys and settings live in
; %LOCALAPPDATA%\KopDesk (and HKCU\Software\KopDesk), which this installer never touches: they survive
; upgrades and uninstalls.

Unicode true
!include "MUI2.nsh"
!include "x64.nsh"

; The default VERSION must equal kopdesk/__init__.py __version__ (a test checks it; build.py passes /DVERSION).
!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef PAYLOAD
  !define PAYLOAD "..\dist\KopDesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\KopDesk-Setup-${VERSION}.exe"
!endif
!define APPNAME "KopDesk"
!define PUBLISHER "KopDesk"
!define EXENAME "KopDesk.exe"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\KopDesk"
!define ICONFILE "..\resources\icons\kopdesk.ico"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPNAME}"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
BrandingText "${APPNAME} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${APPNAME} Setup"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "${ICONFILE}"
!define MUI_UNICON "${ICONFILE}"
!define MUI_ABORTWARNING
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_LANGDLL_REGISTRY_ROOT HKLM
!define MUI_LANGDLL_REGISTRY_KEY "${UNINSTKEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXENAME}"
!define MUI_FINISHPAGE_TEXT "$(FinishText)"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_UNPAGE_FINISH

; The first language is the default when Windows' own language is neither.
!insertmacro MUI_LANGUAGE "Indonesian"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString FinishText ${LANG_INDONESIAN} "${APPNAME} ${VERSION} sudah terpasang. Basis data dan pengaturan Anda tetap tersimpan di folder data pengguna (%LOCALAPPDATA%\KopDesk) dan tidak dihapus saat pembaruan atau pencopotan."
LangString FinishText ${LANG_ENGLISH} "${APPNAME} ${VERSION} has been installed. Your database and settings stay in your user data folder (%LOCALAPPDATA%\KopDesk) and are kept when you upgrade or uninstall."
LangString UninstallShortcut ${LANG_INDONESIAN} "Copot ${APPNAME}"
LangString UninstallShortcut ${LANG_ENGLISH} "Uninstall ${APPNAME}"
LangString Need64Bit ${LANG_INDONESIAN} "${APPNAME} memerlukan Windows 64-bit."
LangString Need64Bit ${LANG_ENGLISH} "${APPNAME} needs 64-bit Windows."
LangString StillRunning ${LANG_INDONESIAN} "${APPNAME} masih berjalan. Tutup aplikasinya, lalu klik OK untuk melanjutkan."
LangString StillRunning ${LANG_ENGLISH} "${APPNAME} is still running. Close it, then click OK to continue."
LangString DataKept ${LANG_INDONESIAN} "Basis data dan pengaturan Anda di %LOCALAPPDATA%\KopDesk tidak dihapus. Hapus folder itu sendiri bila memang tidak diperlukan lagi."
LangString DataKept ${LANG_ENGLISH} "Your database and settings in %LOCALAPPDATA%\KopDesk were not removed. Delete that folder yourself if you no longer need it."

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(Need64Bit)"
    Abort
  ${EndIf}
  SetRegView 64
  ; Upgrade: install into the folder of the installed version (read from the 64-bit registry view).
  ReadRegStr $0 HKLM "${UNINSTKEY}" "InstallLocation"
  StrCmp $0 "" +2
  StrCpy $INSTDIR $0
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Function un.onInit
  SetRegView 64
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

; Refuse to overwrite files of a running KopDesk (a locked DLL would leave a half-upgraded folder).
!macro WaitUntilClosed
  retry:
  ClearErrors
  IfFileExists "$INSTDIR\${EXENAME}" 0 free
  FileOpen $0 "$INSTDIR\${EXENAME}" a
  IfErrors 0 close
  MessageBox MB_OKCANCEL|MB_ICONEXCLAMATION "$(StillRunning)" IDOK retry
  Abort
  close:
  FileClose $0
  free:
!macroend

Section "KopDesk" SecMain
  SectionIn RO
  SetShellVarContext all
  !insertmacro WaitUntilClosed
  ; Upgrade: replace the program files as a whole so no file of the old version stays behind.
  ; Only the program folder is cleared; the user's data lives elsewhere (see the header).
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${PAYLOAD}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\${EXENAME}" "" "$INSTDIR\${EXENAME}" 0
  CreateShortcut "$SMPROGRAMS\${APPNAME}\$(UninstallShortcut).lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${EXENAME}" "" "$INSTDIR\${EXENAME}" 0

  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\${EXENAME},0"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  !insertmacro WaitUntilClosed
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APPNAME}"
  ; Only what the installer put there: never $LOCALAPPDATA\KopDesk (database, backups, keys, settings).
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXENAME}"
  Delete "$INSTDIR\kopdesk-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTKEY}"
  IfSilent +2
  MessageBox MB_ICONINFORMATION "$(DataKept)"
SectionEnd
