match = None
for command in ["huh", "go home", "go n"]:
    match command.split():
        case ["go", direction] if direction in "nesw":
            match = f"go: {direction}"
        case ["go", _]:
            match = "no go"
    print(match)
