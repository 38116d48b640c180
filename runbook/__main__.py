from runbook.cli.app import main

main()
