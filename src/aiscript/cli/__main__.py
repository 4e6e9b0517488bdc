from aiscript.cli import main

main()
