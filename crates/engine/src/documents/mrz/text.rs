//! From the caller's text to MRZ lines: what OCR does to any text (whitespace, case, chevrons)
//! is undone here, before anything is read; what no MRZ can be is refused.

use super::layout::{detect, MrzFormat};
use super::MrzError;

/// How many line lengths an [`MrzError::WrongShape`] quotes.
const QUOTED_LENGTHS: usize = 4;

/// The lines of `text` as MRZ characters (A-Z, 0-9, '<'), and the format their shape tells.
///
/// Whitespace is dropped anywhere, not only around the lines: the MRZ has none, and OCR engines
/// insert spaces between glyph groups. Blank lines are dropped. Lower case is read as upper
/// case, and the guillemets '«' and '‹' as the filler '<' (one for one). A text that is one
/// line of 90, 72 or 88 characters (the MRZ as a chip's DG1 or a scanner returns it, without
/// line breaks) is cut into the lines of its format.
pub(super) fn read(text: &str) -> Result<(MrzFormat, Vec<Vec<u8>>), MrzError> {
    let lines: Vec<Vec<char>> = text
        .split(['\n', '\r'])
        .map(|line| line.chars().filter(|c| !c.is_whitespace()).collect())
        .filter(|line: &Vec<char>| !line.is_empty())
        .collect();
    if lines.is_empty() {
        return Err(MrzError::Empty);
    }
    let lines = unbroken(lines);
    let lengths: Vec<usize> = lines.iter().map(Vec::len).collect();
    let first = lines
        .first()
        .and_then(|line| line.first())
        .and_then(|&c| mrz_byte(c));
    let Some(format) = detect(&lengths, first) else {
        return Err(MrzError::WrongShape {
            lines: lengths.len(),
            lengths: lengths.into_iter().take(QUOTED_LENGTHS).collect(),
        });
    };
    let mut bytes = Vec::with_capacity(lines.len());
    for (line_index, line) in lines.iter().enumerate() {
        let mut line_bytes = Vec::with_capacity(line.len());
        for (column_index, &character) in line.iter().enumerate() {
            let byte = mrz_byte(character).ok_or(MrzError::InvalidCharacter {
                line: line_index + 1,
                column: column_index + 1,
                character,
            })?;
            line_bytes.push(byte);
        }
        bytes.push(line_bytes);
    }
    Ok((format, bytes))
}

/// One line as long as a whole MRZ, cut into the lines of the format with that total length.
fn unbroken(lines: Vec<Vec<char>>) -> Vec<Vec<char>> {
    let line_length = match lines.as_slice() {
        [only] => match only.len() {
            90 => 30,
            72 => 36,
            88 => 44,
            _ => return lines,
        },
        _ => return lines,
    };
    lines
        .iter()
        .flat_map(|line| line.chunks(line_length).map(<[char]>::to_vec))
        .collect()
}

fn mrz_byte(character: char) -> Option<u8> {
    match character {
        'A'..='Z' | '0'..='9' | '<' => u8::try_from(character).ok(),
        'a'..='z' => u8::try_from(character.to_ascii_uppercase()).ok(),
        '«' | '‹' => Some(b'<'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                       L898902C36UTO7408122F1204159ZE184226B<<<<<10";

    fn as_strings(lines: &[Vec<u8>]) -> Vec<String> {
        lines
            .iter()
            .map(|line| String::from_utf8_lossy(line).into_owned())
            .collect()
    }

    #[test]
    fn reads_clean_lines() -> Result<(), MrzError> {
        let (format, lines) = read(TD3)?;
        assert_eq!(format, MrzFormat::Td3);
        assert_eq!(
            as_strings(&lines),
            [
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
            ]
        );
        Ok(())
    }

    #[test]
    fn undoes_whitespace_case_and_guillemets() -> Result<(), MrzError> {
        let messy = "\r\n\n   p<utoeriksson<<anna<maria«««««««««««««««««««  \r\n\t\
                     L898902C36 UTO7408122F 1204159ZE184226B‹‹‹‹‹10\n\n  \n";
        assert_eq!(read(messy)?, read(TD3)?);
        Ok(())
    }

    #[test]
    fn cuts_an_unbroken_line() -> Result<(), MrzError> {
        let unbroken: String = TD3.lines().collect();
        assert_eq!(read(&unbroken)?, read(TD3)?);
        let td1 = "I<UTOD231458907<<<<<<<<<<<<<<<7408122F1204159UTO<<<<<<<<<<<6\
                   ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
        let (format, lines) = read(td1)?;
        assert_eq!(format, MrzFormat::Td1);
        assert_eq!(lines.len(), 3);
        Ok(())
    }

    #[test]
    fn refuses_empty_text() {
        assert_eq!(read(""), Err(MrzError::Empty));
        assert_eq!(read(" \n\t\r\n  "), Err(MrzError::Empty));
    }

    #[test]
    fn refuses_other_shapes_quoting_a_few_lengths() {
        assert_eq!(
            read("hello world"),
            Err(MrzError::WrongShape {
                lines: 1,
                lengths: vec![10]
            })
        );
        let short = TD3.replacen("<<<<<10", "<<<<10", 1);
        assert_eq!(
            read(&short),
            Err(MrzError::WrongShape {
                lines: 2,
                lengths: vec![44, 43]
            })
        );
        let page = "x\n".repeat(1000);
        assert_eq!(
            read(&page),
            Err(MrzError::WrongShape {
                lines: 1000,
                lengths: vec![1, 1, 1, 1]
            })
        );
    }

    #[test]
    fn refuses_characters_no_mrz_prints() {
        let dotted = TD3.replacen("ZE184226B", "ZE184.26B", 1);
        assert_eq!(
            read(&dotted),
            Err(MrzError::InvalidCharacter {
                line: 2,
                column: 34,
                character: '.'
            })
        );
        let accented = TD3.replacen("ERIKSSON", "ÉRIKSSON", 1);
        assert!(matches!(
            read(&accented),
            Err(MrzError::InvalidCharacter {
                line: 1,
                column: 6,
                character: 'É'
            })
        ));
    }
}
