using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.Registry.Infrastructure.Migrations
{
    /// <summary>
    /// Every identifier encrypted at rest, first half: the encrypted columns come beside the clear ones (and the identity
    /// code's first format moves aside), so that EncryptClearIdentifiers can fill them at start with the service's key;
    /// DropClearIdentifiers then drops what it emptied.
    /// </summary>
    public partial class EncryptedIdentifiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(name: "hetu_encrypted", table: "subjects", newName: "hetu_encrypted_v1");
            foreach (var column in new[] { "email_encrypted", "phone_encrypted", "hetu_encrypted", "business_id_encrypted", "customer_number_encrypted" })
            {
                migrationBuilder.AddColumn<byte[]>(name: column, table: "subjects", type: "bytea", nullable: true);
            }

            migrationBuilder.AddColumn<byte[]>(name: "encryption_key_ciphertext", table: "identifier_key_checks", type: "bytea", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "encryption_key_ciphertext", table: "identifier_key_checks");
            foreach (var column in new[] { "email_encrypted", "phone_encrypted", "hetu_encrypted", "business_id_encrypted", "customer_number_encrypted" })
            {
                migrationBuilder.DropColumn(name: column, table: "subjects");
            }

            migrationBuilder.RenameColumn(name: "hetu_encrypted_v1", table: "subjects", newName: "hetu_encrypted");
        }
    }
}
