# Windows build: PyInstaller one-folder bundle + Inno Setup installer. Run from the repository root in
# PowerShell, with Python 3.11 and Inno Setup 6 (iscc.exe on PATH or in its default folder):
#     py -3.11 -m venv .venv; .venv\Scripts\pip install -e ".[packaging]"
#     powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
$ErrorActionPreference = "Stop"
$version = (& .venv\Scripts\python -c "import tomllib;print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])").Trim()
& .venv\Scripts\python -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\llm-advisor.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
# Smoke test of the frozen app (offscreen, throw-away user folder), through the console twin
# llm-advisor-cli.exe (llm-advisor.exe is windowed: it has no console to print to).
$env:QT_QPA_PLATFORM = "offscreen"; $env:LLM_ADVISOR_HOME = Join-Path $env:TEMP "llm-advisor-smoke"
& dist\llm-advisor\llm-advisor-cli.exe --startup-check
if ($LASTEXITCODE -ne 0) { throw "frozen --startup-check failed" }
$example = Get-ChildItem examples\*.llmassess | Select-Object -First 1
& dist\llm-advisor\llm-advisor-cli.exe report $example.FullName -o (Join-Path $env:TEMP "llm-advisor-smoke.pdf")
if ($LASTEXITCODE -ne 0) { throw "frozen report failed" }
Remove-Item Env:QT_QPA_PLATFORM; Remove-Item Env:LLM_ADVISOR_HOME
$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" packaging\windows\llm-advisor.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "Installer: dist\installer\llm-advisor-$version-setup.exe"
