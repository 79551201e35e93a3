; Inno Setup 6 script: installer for the Windows one-folder bundle of LLM Deployment Advisor.
; Build on Windows, from the repository root, after the PyInstaller build:
;     pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\llm-advisor.spec
;     iscc /DAppVersion=0.1.0 packaging\windows\llm-advisor.iss
; (packaging\windows\build.ps1 does both and reads the version from pyproject.toml.)
; Output: dist\installer\llm-advisor-<version>-setup.exe
; Installs per user by default (no administrator rights needed; consultants' laptops are often locked down);
; an administrator may choose "all users" in the dialog. Registers the .llmassess file association
; (double-click opens the app) and removes it on uninstall.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "LLM Deployment Advisor"
#define AppExe "llm-advisor.exe"
#define ProgId "LLMDeploymentAdvisor.Assessment"
#define RepoRoot "..\.."

[Setup]
AppId={{6C1B9E52-3F0A-4B8E-9D7A-1E2F4C5A8B90}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=LLM Deployment Advisor team
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
SetupIconFile={#RepoRoot}\app\assets\icons\llm-advisor.ico
UninstallDisplayIcon={app}\{#AppExe}
OutputDir={#RepoRoot}\dist\installer
OutputBaseFilename=llm-advisor-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller one-folder bundle (llm-advisor.exe + _internal\).
Source: "{#RepoRoot}\dist\llm-advisor\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#RepoRoot}\app\assets\icons\llm-advisor.ico"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; IconFilename: "{app}\llm-advisor.ico"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; IconFilename: "{app}\llm-advisor.ico"; Tasks: desktopicon

[Registry]
; File association: .llmassess -> ProgId -> "llm-advisor.exe" "%1". HKA = HKCU for a per-user install,
; HKLM for an all-users install.
Root: HKA; Subkey: "Software\Classes\.llmassess"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.llmassess"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-llmassess"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.llmassess\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "LLM Deployment Advisor assessment"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\llm-advisor.ico,0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".llmassess"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
