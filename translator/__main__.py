from translator.cli.main import main

main()
